/** Tests run TypeScript through ts-jest, transpile only (isolatedModules in tsconfig); `npm run typecheck` type-checks once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/__tests__/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/jest.setup.js'],
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  testTimeout: 30000,
  // Jest's default (cores - 1) runs one file at a time on the 2-core CI machine, where most suites wait on servers and
  // child processes rather than compute: two at once keep the suite well within its time.
  maxWorkers: 2,
};
