/**
 * Child process for one Tandem measurement, so that its peak RSS is per case. Dense instances go
 * through the top-k + pricing solver (weights looked up in a matrix), sparse ones straight to the
 * blossom solver. Prints one JSON line.
 */
import { maxWeightMatching } from '../../../packages/matching/src/blossom.ts';
import { solvePeerPairs } from '../../../packages/matching/src/sparse-pairs.ts';
import { readInstance } from './instance-file.ts';
import { SCALE } from './instances.ts';

const [path, mode] = process.argv.slice(2);
if (!path || (mode !== 'dense' && mode !== 'sparse'))
  throw new Error('usage: tandem-case.ts <instance> dense|sparse');
const { n, u, v, q } = readInstance(path);

if (mode === 'dense') {
  const matrix = new Float64Array(n * n);
  for (let e = 0; e < u.length; e++) matrix[u[e]! * n + v[e]!] = q[e]! / SCALE;
  const start = performance.now();
  const r = solvePeerPairs(n, (a, b) => matrix[a * n + b]!, { k: 10 });
  const seconds = (performance.now() - start) / 1000;
  console.log(
    JSON.stringify({
      seconds,
      total: r.totalQuantised,
      rounds: r.rounds,
      edgesAdded: r.edgesAdded,
      graphEdges: r.graphEdges,
    }),
  );
} else {
  const w = new Float64Array(q.length);
  for (let e = 0; e < q.length; e++) w[e] = q[e]! / SCALE;
  const start = performance.now();
  const r = maxWeightMatching(n, u, v, w);
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ seconds, total: r.totalQuantised }));
}
