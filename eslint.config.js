// Lint runs before tests (npm test). Type-aware rules catch untyped data leaking from files and HTTP.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'models/**', 'web/vendor/**', 'coverage/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware rules on every TypeScript file: promises that are neither awaited nor handled,
    // awaits of non-promises, unsafe `any` flowing out of JSON/HTTP/CSV into typed code.
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Style, not safety: async functions that satisfy a promise-returning interface without
      // awaiting, and casts of csv-parse's untyped rows, are fine here.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    // The pure core does no I/O and never logs: adapters do.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'zlib', 'os', 'child_process'],
              message: 'src/core is pure: no I/O imports.',
            },
            {
              group: ['../adapters/*', '../../adapters/*', '**/adapters/**'],
              message: 'Imports point inward: core must not import adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'web/**/*.js', 'bench/**/*.mjs'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        document: 'readonly',
        window: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
