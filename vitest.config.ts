import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests of the packages that do no I/O (core rules, the matching engine, and the app's use cases
 * given fakes under `packages/app/test/pure`): they run without Java and without DynamoDB Local.
 */
const pure = [
  'packages/core/test/**/*.test.ts',
  'packages/matching/test/**/*.test.ts',
  'packages/app/test/pure/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pure',
          include: pure,
          // A timer cannot interrupt a synchronous loop, so what keeps a solver bug from stalling the
          // run is each loop's own iteration bound (IterationLimitError); this catches the rest, with
          // room for the property tests on a machine shared by several runs.
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...pure],
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
        },
      },
    ],
  },
});
