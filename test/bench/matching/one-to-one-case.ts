/**
 * Child process for one Tandem measurement, so that its peak RSS is per case. Prints one JSON line.
 *
 *   matrix <file> <k>                 top-k candidates of a score matrix + priced assignment
 *   program <mentees> <mentors> <seed>  runMatching on a generated one_to_one program: profiles in,
 *                                     explained pairs and unmatched reasons out (generation untimed)
 */
import { topCandidatesOf } from '../../../packages/matching/src/candidates.ts';
import { denseScan, solvePriced } from '../../../packages/matching/src/priced.ts';
import { runMatching } from '../../../packages/matching/src/run.ts';
import { oneToOneProgram, readMatrix, SCALE } from './one-to-one-instances.ts';

function timed<T>(run: () => T): [number, T] {
  const start = performance.now();
  const result = run();
  return [(performance.now() - start) / 1000, result];
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'matrix') {
  const { rows, columns, capacity, weight } = readMatrix(args[0]!);
  const k = Number(args[1]);
  const scoreRow = (r: number, out: Float64Array) => out.set(weight.subarray(r * columns, (r + 1) * columns));
  const [seconds, s] = timed(() =>
    solvePriced(
      {
        rows,
        columns,
        capacity,
        ...denseScan(columns, scoreRow),
        scoreColumns: (r, list, count, out) => {
          const base = r * columns;
          for (let t = 0; t < count; t++) out[t] = weight[base + list[t]!]!;
        },
      },
      topCandidatesOf(rows, columns, k, scoreRow),
      // Integer weights: any violation is at least 1, so a tolerance of 0.5 keeps the proof exact.
      { cardinalityFirst: true, weightBound: SCALE, tolerance: 0.5 },
    ),
  );
  console.log(
    JSON.stringify({
      seconds,
      total: s.total,
      proved: s.provedOptimal,
      rounds: s.rounds,
      edges: s.edges,
      scanned: s.rowsScanned,
    }),
  );
} else if (mode === 'program') {
  const [mentees, mentors, seed] = args.map(Number) as [number, number, number];
  const participants = oneToOneProgram(mentees, mentors, seed);
  const [seconds, result] = timed(() => runMatching({ participants, settings: { format: 'one_to_one' } }));
  console.log(
    JSON.stringify({
      seconds,
      total: result.totals.sumScore,
      proved: result.solver.provedOptimal,
      rounds: result.solver.pricingRounds,
      edges: result.solver.candidateEdges,
      pairs: result.pairs.length,
    }),
  );
} else throw new Error('usage: one-to-one-case.ts matrix <file> <k> | program <mentees> <mentors> <seed>');
