// Lint runs before tests (npm test). Type-aware rules catch untyped data leaking from files and HTTP.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'models/**', 'web/vendor/**', 'coverage/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
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
            { group: ['node:*', 'fs', 'path', 'http', 'zlib', 'os', 'child_process'], message: 'src/core is pure: no I/O imports.' },
            { group: ['../adapters/*', '../../adapters/*', '**/adapters/**'], message: 'Imports point inward: core must not import adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'web/**/*.js', 'bench/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', document: 'readonly', window: 'readonly', fetch: 'readonly' } },
  },
);
