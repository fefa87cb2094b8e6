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
          // A stalled await (a worker thread that never answers) fails here; a synchronous loop cannot
          // be interrupted by a timer, which is why every solver loop carries its own iteration bound.
          testTimeout: 30_000,
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
