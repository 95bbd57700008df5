// ESLint 9 flat config with typescript-eslint 8 (type-aware rules through the project service, so
// each file is checked with its own tsconfig: server, web or test). Run: npm run lint.
// The layer rules of STYLE.md are enforced by test/architecture/layers.test.ts; the import
// restrictions below repeat the two most common ones at edit time, with a message naming the route.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', 'coverage/**', '**/*.json', '.jarvis/**', 'data/**', 'test/e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Promises: a forgotten await is a real bug here (audit rows, locks); `void` marks fire-and-forget.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false, arguments: false } }],
      // `_name` marks an intentionally unused binding (destructuring to drop a field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Noisy for this codebase's style (typed zod output, JSON at the edges, Fastify decorations); the compiler's strict mode covers the rest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      // A variable a closure reads before its one assignment (late-bound hub) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // The sanitiser and its tests match control characters on purpose.
      'no-control-regex': 'off',
      // TypeScript resolves names (typescript-eslint's advice); plain JS files get their globals below.
      'no-undef': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'core is pure: time, ids and I/O come in as arguments (STYLE.md convention 4)' }] },
      ],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/**', '**/cli/**', '**/config/**', '**/sim/**'],
              message: 'app talks to ports: src/cli passes the adapters in (create-jarvis)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/core/**', '**/src/app/**', '**/src/adapters/**'], message: 'the dashboard imports src/protocol only' }] },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // page.evaluate(string) answers `unknown`-ish values that tests cast to what the page returns.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Test doubles and recorded JSON are loosely typed on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
