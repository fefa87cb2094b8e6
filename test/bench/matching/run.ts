/**
 * npm run bench:matching [-- --full] [-- --only triangles,ties]
 *
 * Tandem vs LEMON's MaxWeightedMatching vs networkx's max_weight_matching on the same generated
 * instances. Every implementation runs in its own process under /usr/bin/time so that peak RSS is
 * per case; times are each implementation's own measurement of building its graph and solving
 * (reading the instance file excluded). A first solve under a second is a warm-up on both sides,
 * and the figure is the median of up to four more in the same process, so no process start,
 * module load or JIT warm-up counts (the cold first call is in Tandem's notes). Each case runs in
 * rounds of one fresh process per implementation, interleaved (5 rounds when every run is under a
 * second, 3 under 10 s, else 1), and the min and median times and the largest peak RSS are
 * reported, because on a loaded machine single runs of a few milliseconds mean little. On dense
 * instances Tandem solves a top-10 candidate graph and proves it exact with dual pricing, while
 * the references solve every pair.
 *
 * Totals are compared exactly: all weights are integers in units of 2^-20 (quantised once when the
 * instance is generated), which is also the quantisation Tandem applies internally.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeInstance } from './instance-file.ts';
import {
  chain,
  denseEmbedding,
  denseRandom,
  denseSlow,
  denseTies,
  hardcard,
  type Instance,
  randomGraph,
  sparseDelta,
  sparseTop10,
  sparseTop10Ties,
  triangles,
} from './instances.ts';
import { prepareLemon, prepareNetworkx } from './references.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const workDir = join(root, '.bench', 'matching');
const full = process.argv.includes('--full');
/** `-- --only ties` runs the cases whose name contains "ties" or "triangles" (any substring). */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

interface Case {
  readonly make: () => Instance;
  /** networkx takes 20-30 s on a dense n=400, so it runs on the larger cases only with --full. */
  readonly networkx: boolean;
}

const cases: Case[] = [
  { make: () => denseRandom(200, 1), networkx: true },
  { make: () => denseRandom(400, 2), networkx: full },
  { make: () => denseEmbedding(400, 3), networkx: full },
  { make: () => denseRandom(1600, 4), networkx: false },
  { make: () => denseEmbedding(1600, 5), networkx: false },
  ...(full ? [{ make: () => denseRandom(3200, 6), networkx: false }] : []),
  { make: () => sparseTop10(10_000, 7), networkx: false },
  { make: () => sparseTop10(100_000, 8), networkx: false },
  // Tie-heavy families (issue 22): structured graphs with all weights 1, and weights in {1, 2, 3}.
  { make: () => triangles(10_000, 3), networkx: false },
  { make: () => triangles(33_334, 3), networkx: false },
  { make: () => triangles(10_000, 1), networkx: false },
  { make: () => triangles(33_334, 1), networkx: false },
  { make: () => denseTies(400, 9), networkx: false },
  { make: () => denseTies(1600, 10), networkx: false },
  { make: () => sparseTop10Ties(100_000, 11), networkx: false },
  // Van Rantwijk's slow graphs and the rest of his tests/generate (issue 22): integer weights.
  { make: () => sparseDelta(5_004), networkx: false },
  { make: () => sparseDelta(10_004), networkx: false },
  { make: () => sparseDelta(20_004), networkx: false },
  { make: () => denseSlow(1_000), networkx: false },
  { make: () => denseSlow(2_000), networkx: false },
  { make: () => chain(10_000), networkx: false },
  { make: () => randomGraph(1_000, 10_000, 101), networkx: false },
  { make: () => randomGraph(4_000, 10_000, 103), networkx: false },
  { make: () => hardcard(100), networkx: false },
];

interface Measurement {
  readonly seconds: number;
  /** The fastest of the rounds (equal to `seconds` for a single run). */
  readonly minSeconds: number;
  readonly total: number;
  readonly peakMiB: number;
  readonly extra: Record<string, unknown>;
}

/** Rounds by the slowest run of the first round: under a second, under 10 s, longer. */
function roundsFor(slowest: number): number {
  return slowest < 1 ? 5 : slowest < 10 ? 3 : 1;
}

/**
 * Runs every implementation once, then further rounds (one process per implementation each,
 * interleaved so that they share the machine's load); reports the median and min times and the
 * largest peak RSS.
 */
function measureAll(commands: [string, string[]][]): [string, Measurement | string][] {
  const runs = commands.map(([name, command]): [string, (Measurement | string)[]] => [
    name,
    [measureOnce(command)],
  ]);
  const first = runs.map(([, rs]) => rs[0]!);
  const rounds = first.some((r) => typeof r === 'string')
    ? 1
    : roundsFor(Math.max(...(first as Measurement[]).map((r) => r.seconds)));
  for (let i = 1; i < rounds; i++) {
    commands.forEach(([, command], k) => {
      runs[k]![1].push(measureOnce(command));
    });
  }
  return runs.map(([name, rs]) => {
    const failed = rs.find((r): r is string => typeof r === 'string');
    if (failed !== undefined) return [name, failed];
    const ok = (rs as Measurement[]).slice().sort((x, y) => x.seconds - y.seconds);
    return [
      name,
      { ...ok[ok.length >> 1]!, minSeconds: ok[0]!.seconds, peakMiB: Math.max(...ok.map((r) => r.peakMiB)) },
    ];
  });
}

/** Runs a command under GNU time; its last stdout line is the JSON result, %M goes to a file. */
function measureOnce(command: string[]): Measurement | string {
  const memFile = join(workDir, 'peak-rss.txt');
  rmSync(memFile, { force: true });
  const run = spawnSync('/usr/bin/time', ['-f', '%M', '-o', memFile, ...command], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0)
    return `failed (${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  const lines = run.stdout.trim().split('\n');
  const { seconds, total, ...extra } = JSON.parse(lines[lines.length - 1]!) as {
    seconds: number;
    total: number;
  };
  const peakKiB = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop());
  return { seconds, minSeconds: seconds, total, peakMiB: peakKiB / 1024, extra };
}

function fmt(x: number, digits: number): string {
  return x.toFixed(digits).padStart(9);
}

function main(): void {
  mkdirSync(workDir, { recursive: true });
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is required (apt-get install -y time)');
  const lemon = prepareLemon(workDir);
  const networkx = prepareNetworkx(workDir);
  const tandemCase = join(here, 'tandem-case.ts');
  const load = () =>
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`;
  console.log(load());
  console.log(
    `\nTotals are integer sums of weights quantised to 2^-20 and must be exactly equal.${full ? '' : ' (--full adds networkx at n=400 and a dense n=3200 case)'}\n`,
  );
  console.log(
    `${'case'.padEnd(26)} ${'impl'.padEnd(9)} ${'min s'.padStart(9)} ${'median s'.padStart(9)} ${'peak MiB'.padStart(9)}  ${'x LEMON t'.padStart(9)} ${'(min)'.padStart(6)} ${'x LEMON m'.padStart(9)}  total        equal  notes`,
  );
  for (const c of cases) {
    const inst = c.make();
    if (only !== undefined && !only.split(',').some((part) => inst.name.includes(part))) continue;
    const file = join(workDir, `${inst.name.replace(/[^a-z0-9]+/gi, '-')}.bin`);
    writeInstance(file, inst);
    const commands: [string, string[]][] = [
      [
        'Tandem',
        [
          process.execPath,
          '--expose-gc',
          '--import',
          'tsx',
          tandemCase,
          file,
          inst.dense ? 'dense' : 'sparse',
        ],
      ],
    ];
    if (lemon) commands.push([lemon.name, lemon.command(file)]);
    if (networkx && c.networkx) commands.push([networkx.name, networkx.command(file)]);
    const runs = measureAll(commands);
    const reference = runs.find(([name]) => name === 'LEMON')?.[1];
    const refTotal = runs.map(([, r]) => r).find((r): r is Measurement => typeof r !== 'string')?.total;
    for (const [name, r] of runs) {
      const label = `${inst.name} (m=${inst.u.length})`.padEnd(26);
      if (typeof r === 'string') {
        console.log(`${label} ${name.padEnd(9)} ${r}`);
        continue;
      }
      const ratios =
        reference && typeof reference !== 'string'
          ? `${fmt(r.seconds / reference.seconds, 2)} ${(r.minSeconds / reference.minSeconds).toFixed(2).padStart(6)} ${fmt(r.peakMiB / reference.peakMiB, 2)}`
          : `${'-'.padStart(9)} ${'-'.padStart(6)} ${'-'.padStart(9)}`;
      const notes = Object.entries(r.extra)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      console.log(
        `${label} ${name.padEnd(9)} ${fmt(r.minSeconds, 3)} ${fmt(r.seconds, 3)} ${fmt(r.peakMiB, 1)}  ${ratios}  ${String(r.total).padEnd(12)} ${r.total === refTotal ? 'yes' : 'NO '}    ${notes}`,
      );
    }
  }
  console.log(load());
}

main();
