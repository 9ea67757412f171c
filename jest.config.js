/**
 * Jest runs TypeScript through SWC (fast, no type-check: `tsc --noEmit` does that in `npm test`).
 *
 * Two projects, one run: `postgres` runs every suite on the real PostgreSQL server; `pglite` runs
 * the end-to-end flows again, with the same test code, on embedded PGlite — the zero-setup default a
 * new user meets first (`CAREBEAT_TEST_DB=pglite`, read by test/support/test-env.ts).
 */
const PARITY_SUITES = [
  'test/automations/birthday-greetings.spec.ts', // birthdays, catch-up on the day included
  'test/contacts/contacts-birthday.spec.ts',
  'test/embedded/embedded-service.spec.ts', // the whole service on one connection: tick, API, sends
  'test/orders/orders.spec.ts', // first-order follow-ups
  'test/orders/follow-up-resume.spec.ts',
  'test/orders/order-notices.spec.ts', // order notices: the listener writes inside the order's transaction
  'test/orders/order-notices-send.spec.ts',
  'test/orders/first-order-journey.spec.ts', // cancelled first orders, figures, lastContactedAt
  'test/automations/lifecycle-journeys.spec.ts', // lifecycle journeys: entries as ranges on last_order_at
  'test/campaigns/campaign-fanout.spec.ts', // fan-out
  'test/automations/festival-greetings.spec.ts', // festival greetings: fan-out and catch-up passes
  'test/automations/festival-overlap.spec.ts', // one greeting per festival, campaign or automation; the cap
  'test/e2e/campaign-pause.spec.ts', // pause and resume
  'test/workers/reconcile.spec.ts', // the reconciler
  'test/workers/scheduler.worker.spec.ts',
  'test/webhooks/twilio-status.spec.ts', // webhooks
  'test/webhooks/twilio-inbound.spec.ts',
  'test/contacts/contacts-import.spec.ts', // import
  'test/e2e/delivery.spec.ts',
  'test/messages/send-job.spec.ts', // batch jobs: per-message outcomes, window-keyed batches
  'test/console/console.e2e.spec.ts', // the console in a browser
  'test/segments/segment-filters.spec.ts', // per-zone age and lunar dates in SQL
  'test/coupons/coupon-batches.spec.ts', // coupons: codes taken in the insert, the give-back trigger (plpgsql)
  'test/reports/invalidations.spec.ts', // the reports' invalidation triggers (transition tables)
  'test/reports/report-sections.spec.ts', // the reports' coupon and survey sections (grouping sets), the estimate's control group
  'test/reports/lifecycle-snapshot.spec.ts', // the lifecycle snapshot: row comparisons, repeatable-read reads, savepoints
  'test/reports/outcome-rollup.spec.ts', // the outcome rollup: repeatable-read reads, the log taken and re-logged in one transaction
];

const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'postgres',
      testMatch: ['**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'pglite',
      testMatch: PARITY_SUITES.map((suite) => `<rootDir>/${suite}`),
      setupFiles: ['<rootDir>/test/support/use-pglite.ts'],
    },
  ],
  // Three workers on CI's two cores: a third of the suites' time is waiting (the browser, PostgreSQL,
  // timers), and two workers left the CPUs a third idle over a 10-minute run.
  maxWorkers: 3,
  testTimeout: 60000,
};
