import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import noKeyLiterals from './eslint-rules/no-key-literals.js';

export default tseslint.config(
  { ignores: ['out/', 'node_modules/', 'test-results/', '.test-redis*/', 'tmp/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { swarmdeck: { rules: { 'no-key-literals': noKeyLiterals } } },
    rules: {
      'swarmdeck/no-key-literals': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron'], message: 'Only src/main/index.ts, src/main/electron/ and src/preload import electron.' }] },
      ],
    },
  },
  {
    // The features' keys modules, the only files that build keys (src/main/redis/keyspace.ts composes
    // them), and the test that feeds the rule bad lines on purpose.
    files: ['src/main/features/*/keys.ts', 'test/unit/lint-rules.test.ts'],
    rules: { 'swarmdeck/no-key-literals': 'off' },
  },
  {
    // Small modules: a file past 400 lines or a function past 80 holds more than one idea.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['**/*.generated.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/electron/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/main/**', 'electron', 'node:*'], message: 'The renderer talks to main only through its transport.' }] },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', '**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/shared is pure TypeScript shared by all processes.',
            },
          ],
        },
      ],
    },
  },
);
