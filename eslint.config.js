import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'bench/results/', 'drizzle/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // intelligence/ is pure: no I/O, no clock, no platform or module imports.
    files: ['src/intelligence/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:https', 'node:child_process'], message: 'intelligence/ is I/O-free' },
          { group: ['**/platform/**', '**/modules/**'], message: 'intelligence/ depends on nothing in the app' },
        ],
      }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use a seeded generator from intelligence/random' }, { object: 'Date', property: 'now', message: 'intelligence/ takes time as input' }],
    },
  },
  {
    // platform/ knows no business.
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/**'], message: 'platform/ never imports from modules/' }] }],
    },
  },
);
