import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by this process's descendants (DynamoDB Local's JVM), from /proc (Linux). */
export function descendantsCpuSeconds(pid = process.pid): number {
  let seconds = 0;
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ')) {
      if (!child.trim()) continue;
      const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds += (Number(fields[11]) + Number(fields[12])) / 100 + descendantsCpuSeconds(Number(child));
    }
  } catch {
    // Not Linux, or the process ended: no figure.
  }
  return seconds;
}

/**
 * Runs `work` and says what it cost: wall seconds, and CPU seconds of this process (the API
 * server, its background workers and the client) and of DynamoDB Local, which on a shared machine
 * are steadier figures than the wall time and say which side the time went to.
 */
export async function measured<T>(work: () => Promise<T>) {
  const cpu = process.cpuUsage();
  const dynamo = descendantsCpuSeconds();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return {
    result,
    seconds,
    nodeCpu: (user + system) / 1e6,
    dynamoCpu: descendantsCpuSeconds() - dynamo,
  };
}

/**
 * CPU seconds used so far by each thread of this process's child processes, summed by thread name
 * with digits dropped (`C2 CompilerThread0` and `…1` are one line), from /proc (Linux). For DynamoDB
 * Local's JVM it tells the just-in-time compiler's share from the HTTP threads' and the one
 * database thread's (`SQLiteQueue`).
 */
export function childThreadsCpuSeconds(pid = process.pid): Map<string, number> {
  const threads = new Map<string, number>();
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ')) {
      if (!child.trim()) continue;
      for (const tid of readdirSync(`/proc/${child}/task`)) {
        const name = readFileSync(`/proc/${child}/task/${tid}/comm`, 'utf8').trim().replace(/\d+/g, '#');
        const stat = readFileSync(`/proc/${child}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        threads.set(name, (threads.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
      }
    }
  } catch {
    // Not Linux, or a thread or process ended meanwhile: what was read so far.
  }
  return threads;
}

/** The threads that used at least 0.1 s between two readings, most first: `name 1.2 s, …`. */
export const threadsLine = (before: Map<string, number>, after: Map<string, number>) =>
  [...after]
    .map(([name, seconds]) => [name, seconds - (before.get(name) ?? 0)] as const)
    .filter(([, seconds]) => seconds >= 0.1)
    .sort((a, b) => b[1] - a[1])
    .map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`)
    .join(', ');

export const cpuLine = (m: { nodeCpu: number; dynamoCpu: number }) =>
  `CPU: this process ${m.nodeCpu.toFixed(1)} s, DynamoDB Local ${m.dynamoCpu.toFixed(1)} s`;

/**
 * Waits until DynamoDB Local spends under `busy` of a core over a window (its stream readers have
 * caught up with what was just written), for at most `maxSeconds`; returns the seconds waited. A
 * bulk seed leaves the local runtime's stream readers behind, and a measurement started then
 * counts their catching up as well.
 */
export async function untilDynamoQuiet(maxSeconds = 120, busy = 0.15, windowSeconds = 2) {
  const started = performance.now();
  for (;;) {
    const before = descendantsCpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
    const waited = (performance.now() - started) / 1000;
    if ((descendantsCpuSeconds() - before) / windowSeconds < busy || waited >= maxSeconds) return waited;
  }
}
