/** Jest runs the TypeScript sources through SWC with decorator metadata on (type-graphql reads it). */
module.exports = {
  // Jest's node environment with a temporary directory per worker (see the file).
  testEnvironment: '<rootDir>/test/support/environment.js',
  roots: ['<rootDir>/test'],
  // One test file per folder, running the folder's *.suite.ts files (why: test/support/suites.ts).
  testMatch: ['**/*.test.ts'],
  // The biggest folders first, also on a fresh clone (see the file).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    }],
    // jose (JWT) and openid-client (with its oauth4webapi) ship ES modules only: compile them to CommonJS for jest like our own sources.
    '/node_modules/(jose|openid-client|oauth4webapi)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi)/)'],
  testTimeout: 60000,
  // Two cores: two workers (Jest's default, cores - 1, would run one suite at a time).
  maxWorkers: 2,
  // The generated data sets the suites share: built once per run, removed at the end (test/support/data-sets.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
