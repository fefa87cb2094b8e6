import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/broken-solver.ts', import.meta.url));

/**
 * A separate process with a deadline: were a bound missing, the loop would never yield to a timer,
 * so only killing the process could end it.
 */
function runBroken(name: string) {
  const run = spawnSync(process.execPath, [fixture, name], { encoding: 'utf8', timeout: 20_000 });
  expect(run.signal, `${name}: the solver spun until it was killed`).toBeNull();
  return run.stdout;
}

test('an assignment solver whose state breaks its invariants throws instead of spinning', () => {
  expect(runBroken('miscounted capacity')).toMatch(
    /^IterationLimitError: assignment: augmenting path: more than 5 iterations/,
  );
});

test('an auction that can never reach its last ε throws instead of spinning', () => {
  expect(runBroken('NaN final epsilon')).toMatch(/^IterationLimitError: auction: ε phases/);
});
