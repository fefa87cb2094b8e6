/**
 * Child process for one Tandem measurement, so that its peak RSS is per case. Dense instances go
 * through the top-k + pricing solver (weights looked up in a matrix), sparse ones straight to the
 * blossom solver, both at the instance's scale (the blossom solver would otherwise choose its own
 * from the weights, and the totals would not be comparable). A first solve under a second is a
 * warm-up, followed by up to four more (while they add up to under two seconds) whose median is the
 * figure (`seconds`), as a long-lived service sees it; LEMON's driver does the same, so neither
 * side's figure holds a process start, module load or JIT warm-up (one warm-up alone leaves V8
 * part-way through optimising the solver on small cases).
 * The first call is reported as `coldSeconds` (it includes V8's compilation of the solver).
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

/** The cold call, then when it took under a second up to four warm ones (see above). */
function warmTimed<T>(run: () => T): { seconds: number; coldSeconds: number; result: T } {
  const [cold, result] = timed(run);
  const warm: number[] = [];
  let spent = 0;
  while (cold < 1 && warm.length < 4 && spent < 2) {
    // The previous solve's garbage goes first, so that peak RSS is one solve's (run.ts starts
    // this process with --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    warm.push(timed(run)[0]);
    spent += warm[warm.length - 1]!;
  }
  warm.sort((a, b) => a - b);
  const seconds = warm.length === 0 ? cold : warm[warm.length >> 1]!;
  return { seconds, coldSeconds: Number(cold.toFixed(4)), result };
}

if (mode === 'dense') {
  const matrix = new Float64Array(n * n);
  for (let e = 0; e < u.length; e++) matrix[u[e]! * n + v[e]!] = q[e]! / SCALE;
  const {
    seconds,
    coldSeconds,
    result: r,
  } = warmTimed(() => solvePeerPairs(n, (a, b) => matrix[a * n + b]!, { k: 10 }));
  console.log(
    JSON.stringify({
      seconds,
      total: r.totalQuantised,
      coldSeconds,
      rounds: r.rounds,
      edgesAdded: r.edgesAdded,
      graphEdges: r.graphEdges,
    }),
  );
} else {
  const w = new Float64Array(q.length);
  for (let e = 0; e < q.length; e++) w[e] = q[e]! / SCALE;
  const {
    seconds,
    coldSeconds,
    result: r,
  } = warmTimed(() => maxWeightMatching(n, u, v, w, { scale: SCALE }));
  console.log(JSON.stringify({ seconds, total: r.totalQuantised, coldSeconds }));
}
