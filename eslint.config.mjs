// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * One lint for the service, the workers, the console, the tests, the benches and the drills.
 * typescript-eslint's recommended rules without type information: they run in seconds on two
 * cores, and `tsc --noEmit` (part of `npm test`) already does the type-aware checking.
 */
export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'data/**', 'node_modules/**', 'coverage/**', 'migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's shape, a destructured omission).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A binding a closure reads before its one assignment (a server's handler naming the server) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Our patterns match control characters on purpose (NUL in a URL, control bytes hidden in a scheme).
      'no-control-regex': 'off',
    },
  },
  {
    // Queues and workers once swallowed every error event, which hid Redis trouble (issue 12):
    // there, an error is logged with its queue name (src/queue/queue-errors.ts), never dropped.
    files: ['src/queue/**', 'workers/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='on'][arguments.0.value='error'] > ArrowFunctionExpression[body.type='Identifier'][body.name='undefined']",
        message: 'Do not swallow queue or worker errors: log them with the queue name (src/queue/queue-errors.ts).',
      }],
    },
  },
  {
    // Tests read JSON answers of any shape.
    files: ['test/**', 'drills/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
