// Set before any test module loads, so test-env.ts picks the embedded database for this project.
process.env.CAREBEAT_TEST_DB = 'pglite';
