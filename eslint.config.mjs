// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/generated/**',
      'web/src/gql/**',
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      'bench/out/**',
      'bench/logs/**',
      'test-results/**',
      '.data/**',
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // noUncheckedIndexedAccess is on: `!` marks an index the code has just bounded or a key it has just set.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Apollo plugin hooks, HTTP handlers and interface implementations are async to keep their Promise-returning signature.
      '@typescript-eslint/require-await': 'off',
      // Counts, sizes and milliseconds go straight into log lines and error messages.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(x) => void fn(x)` shorthand in callbacks is the house style; a void value in any other position is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // A callback created before the value it reads exists (`let storage; open({ onFlush: () => storage?.… }); storage = …`).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `const { secret: _secret, ...rest } = value` is how the code leaves a field out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Build configuration outside every tsconfig: linted without type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', 'web/vite.config.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Jest's asymmetric matchers (expect.any, expect.objectContaining…) are typed `any` by @types/jest.
    files: ['test/**/*.ts', '**/__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The embedded server handles BSON `Document`s, whose values the driver types as `any`: it checks each value's kind at run time.
    files: ['embedded-mongo/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // These tests read many response shapes through one documented `type Json = any`, with optional chaining.
    files: [
      'test/access/reads.test.ts',
      'test/security/landlordLookup.test.ts',
      'test/actions/tfpbReport.test.ts',
      'test/seed/demoSeed.test.ts',
      'test/campaigns/campaigns.test.ts',
      'test/access/campaigns.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
);
