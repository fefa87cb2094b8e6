/**
 * npm run bench:one-to-one [-- --quick]
 *
 * Tandem's one-to-one path (top-k candidates, priced assignment with warm restarts) against scipy's
 * linear_sum_assignment on the same generated instances, each run in its own process under
 * /usr/bin/time so that peak RSS is per case. Times are each implementation's own measurement:
 * Tandem from the score matrix in memory to the proved optimum (candidate selection included),
 * scipy the linear_sum_assignment call on the slot-expanded matrix. Runs under a second are
 * repeated and the median time (largest peak RSS) is reported, as single runs of a few hundred
 * milliseconds mean little on a loaded machine.
 *
 * Matrix weights are integers (scores quantised to 2^-20), so the optimal totals are compared
 * exactly (tolerance 0). The profile programs are Tandem only: 10,000 people end to end (compile,
 * score, solve, explain), and 100,000 mentees × 25,000 mentors (skipped with --quick).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomMatrix, writeMatrix } from './one-to-one-instances.ts';
import { prepareScipy } from './one-to-one-scipy.ts';

const here = dirname(fileURLToPath(import.meta.url));
const workDir = join(here, '..', '..', '..', '.bench', 'one-to-one');
const quick = process.argv.includes('--quick');
const REPEATS_UNDER_A_SECOND = 3;
/** The largest case runs for minutes (its solve dominates); a bound keeps a regression from hanging the bench. */
const TIMEOUT_MS = 20 * 60 * 1000;

interface Measurement {
  seconds: number;
  total: number;
  peakMiB: number;
  extra: Record<string, unknown>;
}

function measureOnce(command: string[]): Measurement | string {
  const memFile = join(workDir, 'peak-rss.txt');
  rmSync(memFile, { force: true });
  const run = spawnSync('/usr/bin/time', ['-f', '%M', '-o', memFile, ...command], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: TIMEOUT_MS,
  });
  if (run.status !== 0)
    return `failed (${run.status ?? run.signal}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  const lines = run.stdout.trim().split('\n');
  const { seconds, total, ...extra } = JSON.parse(lines[lines.length - 1]!) as {
    seconds: number;
    total: number;
  };
  const peakKiB = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop());
  return { seconds, total, peakMiB: peakKiB / 1024, extra };
}

function measure(command: string[]): Measurement | string {
  const runs = [measureOnce(command)];
  const first = runs[0]!;
  if (typeof first === 'string' || first.seconds >= 1) return first;
  for (let i = 1; i < REPEATS_UNDER_A_SECOND; i++) runs.push(measureOnce(command));
  const failed = runs.find((r): r is string => typeof r === 'string');
  if (failed !== undefined) return failed;
  const ok = (runs as Measurement[]).slice().sort((x, y) => x.seconds - y.seconds);
  return { ...ok[ok.length >> 1]!, peakMiB: Math.max(...ok.map((r) => r.peakMiB)) };
}

const fmt = (x: number, digits: number) => x.toFixed(digits).padStart(9);

function row(label: string, impl: string, r: Measurement | string, ratio: string, equal: string) {
  if (typeof r === 'string') {
    console.log(`${label.padEnd(34)} ${impl.padEnd(7)} ${r}`);
    return;
  }
  const notes = Object.entries(r.extra)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  console.log(
    `${label.padEnd(34)} ${impl.padEnd(7)} ${fmt(r.seconds, 3)} ${fmt(r.peakMiB, 1)} ${ratio.padStart(9)}  ${String(r.total).padEnd(18)} ${equal.padEnd(5)} ${notes}`,
  );
}

function main(): void {
  mkdirSync(workDir, { recursive: true });
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is required (apt-get install -y time)');
  const scipy = prepareScipy(workDir);
  const tandemCase = [process.execPath, '--import', 'tsx', join(here, 'one-to-one-case.ts')];
  console.log('\nMatrix totals are integer sums (scores quantised to 2^-20) and must be exactly equal.');
  console.log(
    `${'case'.padEnd(34)} ${'impl'.padEnd(7)} ${'time s'.padStart(9)} ${'peak MiB'.padStart(9)} ${'x scipy t'.padStart(9)}  ${'total'.padEnd(18)} equal notes`,
  );

  const matrices = [
    { label: 'dense 2000 x 2000', make: () => randomMatrix(2000, 2000, 1, 11) },
    { label: '2000 mentees x 500 mentors cap 4', make: () => randomMatrix(2000, 500, 4, 12) },
  ];
  for (const { label, make } of matrices) {
    const file = join(workDir, `${label.replace(/[^a-z0-9]+/gi, '-')}.bin`);
    writeMatrix(file, make());
    const tandem = measure([...tandemCase, 'matrix', file, '30']);
    const reference = scipy ? measure(scipy(file)) : null;
    const both = typeof tandem !== 'string' && reference && typeof reference !== 'string';
    row(
      label,
      'Tandem',
      tandem,
      both ? (tandem.seconds / reference.seconds).toFixed(2) : '-',
      both ? (tandem.total === reference.total ? 'yes' : 'NO') : '-',
    );
    if (reference) row(label, 'scipy', reference, '1.00', '-');
  }

  const programs: [string, string[]][] = [['10,000 people end to end', ['8000', '2000', '21']]];
  if (!quick) programs.push(['100,000 x 25,000 cap 4 end to end', ['100000', '25000', '22']]);
  for (const [label, args] of programs)
    row(label, 'Tandem', measure([...tandemCase, 'program', ...args]), '-', '-');
}

main();
