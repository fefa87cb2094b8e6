/**
 * Child process for one Tandem measurement, so that its peak RSS is per case. Dense instances go
 * through the top-k + pricing solver (weights looked up in a matrix), sparse ones straight to the
 * blossom solver, both at the instance's scale (the blossom solver would otherwise choose its own
 * from the weights, and the totals would not be comparable). The case is solved twice: `seconds` is the first (cold) call, which includes V8's
 * compilation of the solver, `warmSeconds` the second, as a long-lived service would see it.
 * Prints one JSON line.
 */
import { maxWeightMatching } from '../../../packages/matching/src/blossom.ts';
import { solvePeerPairs } from '../../../packages/matching/src/sparse-pairs.ts';
import { readInstance } from './instance-file.ts';
import { SCALE } from './instances.ts';

function timed<T>(run: () => T): [number, T] {
  const start = performance.now();
  const result = run();
  return [(performance.now() - start) / 1000, result];
}

const [path, mode] = process.argv.slice(2);
if (!path || (mode !== 'dense' && mode !== 'sparse'))
  throw new Error('usage: tandem-case.ts <instance> dense|sparse');
const { n, u, v, q } = readInstance(path);

if (mode === 'dense') {
  const matrix = new Float64Array(n * n);
  for (let e = 0; e < u.length; e++) matrix[u[e]! * n + v[e]!] = q[e]! / SCALE;
  const solve = () => solvePeerPairs(n, (a, b) => matrix[a * n + b]!, { k: 10 });
  const [seconds, r] = timed(solve);
  const [warmSeconds] = timed(solve);
  console.log(
    JSON.stringify({
      seconds,
      total: r.totalQuantised,
      warmSeconds: Number(warmSeconds.toFixed(4)),
      rounds: r.rounds,
      edgesAdded: r.edgesAdded,
      graphEdges: r.graphEdges,
    }),
  );
} else {
  const w = new Float64Array(q.length);
  for (let e = 0; e < q.length; e++) w[e] = q[e]! / SCALE;
  const [seconds, r] = timed(() => maxWeightMatching(n, u, v, w, { scale: SCALE }));
  const [warmSeconds] = timed(() => maxWeightMatching(n, u, v, w, { scale: SCALE }));
  console.log(
    JSON.stringify({ seconds, total: r.totalQuantised, warmSeconds: Number(warmSeconds.toFixed(4)) }),
  );
}
