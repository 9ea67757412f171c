/**
 * Jest runs TypeScript through SWC (fast, no type-check: `tsc --noEmit` does that in `npm test`).
 * A few dependencies ship ESM only (Node 20 `require`s them natively, Jest does not): SWC turns them into CommonJS.
 */
const esmOnly = ['content-disposition', 'cookie'];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
