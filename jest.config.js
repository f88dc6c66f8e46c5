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
};
