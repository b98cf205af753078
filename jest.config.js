/** Jest runs the TypeScript tests through ts-jest's ESM preset (node --experimental-vm-modules).
 *  Worker threads never run under jest: fixtures are .mjs files that import the built package by name. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: 'test/tsconfig.json' }],
  },
  testTimeout: 30000,
};
