#!/usr/bin/env node
// The built CLI (npm's `prepare` compiles src/ to dist/ with tsconfig.build.json).
import '../dist/adapters/cli/main.js';
