/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // transpile only (tsconfig.json sets isolatedModules, which tsc checks the code keeps to):
  // `npm test` type-checks the whole project with tsc first
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // property tests start from a fixed seed (FC_SEED=random for a new one)
  setupFiles: ['<rootDir>/test/setup/fast-check.ts'],
};
