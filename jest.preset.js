// Shared jest settings for every workspace: ESM TypeScript through ts-jest.
// Relative imports end in `.js` (NodeNext); the mapper points them back at the `.ts` sources.
/** @returns {import('jest').Config} */
export function jestConfig(overrides = {}) {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
    },
    testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
    testTimeout: 30000,
    ...overrides,
  };
}
