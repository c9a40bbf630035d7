// Lint config: typescript-eslint recommended rules, plus a guard that the domain core never imports adapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/cli/**', '**/storage/**', '**/http/**', '**/excel/**', '**/pdf/**', '**/packs/**'], message: 'The domain core must not import adapters or pack loaders.' },
          { group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'pg', '@electric-sql/*'], message: 'The domain core does no I/O.' },
        ],
      }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
