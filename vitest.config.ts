import { configDefaults, defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.ts';

/**
 * Tests of the packages that do no I/O (core rules, the matching engine, and the app's use cases
 * given fakes under `packages/app/test/pure`): they run without Java and without DynamoDB Local.
 */
const pure = [
  'packages/core/test/**/*.test.ts',
  'packages/matching/test/**/*.test.ts',
  'packages/app/test/pure/**/*.test.ts',
];

/**
 * Integration files that replace modules or the environment (`vi.mock`, `vi.resetModules`,
 * `vi.stubEnv`): they get modules of their own, so what they replace reaches no other file.
 */
const replacingModules = [
  'test/functions/api.test.ts',
  'test/functions/authorizer.test.ts',
  'test/functions/powertools.test.ts',
  'test/functions/webhook-wiring.test.ts',
];

/** Tests of the synthesized CDK stacks: no I/O beyond the synth's own output folders. */
const infra = ['test/infra/**/*.test.ts'];

export default defineConfig({
  test: {
    // Integration files mostly wait (on DynamoDB Local, on HTTP), so two run side by side on a
    // 2-core machine (vitest's default is cores - 1); a third made each file much slower on a loaded
    // machine and the run no shorter. The files of a worker share its DynamoDB Local
    // (test/support/shared-dynamodb.ts) and keep apart by tenant, or by a DynamoDB Local
    // (test/support/own-database.ts), folder or port of their own.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pure',
          include: pure,
          // Nothing here does I/O or keeps state between files, so they share each worker's modules
          // instead of importing the engine again for every file.
          isolate: false,
          // A timer cannot interrupt a synchronous loop, so what keeps a solver bug from stalling the
          // run is each loop's own iteration bound (IterationLimitError); this catches the rest, with
          // room for the property tests on a machine shared by several runs.
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: infra,
          // Each file asks for the same stages: sharing the worker's modules imports aws-cdk-lib once
          // and lets test/infra/synth.ts synthesize each stage once per worker instead of per file.
          isolate: false,
          // A synth that bundles every function, with room to run beside another file.
          testTimeout: 90_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...pure, ...infra, ...replacingModules],
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          // Files keep apart by tenant, database, folder or port, not by module state, so they share
          // each worker's modules instead of importing the API, the store and the SDK again per file.
          isolate: false,
          // A hang catcher, with room for each test to run slower beside another file.
          testTimeout: 90_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration-isolated',
          include: replacingModules,
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 90_000,
        },
      },
    ],
  },
});
