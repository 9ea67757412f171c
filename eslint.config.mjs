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
      'prefer-const': 'error',
      'no-restricted-syntax': ['error', {
        // Swallowed errors hid Redis trouble once (issue 12): say why, or log it.
        selector: "CallExpression[callee.property.name='on'][arguments.0.value='error'] > ArrowFunctionExpression[body.type='Identifier'][body.name='undefined']",
        message: 'Do not swallow error events: log them with what emitted them.',
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
