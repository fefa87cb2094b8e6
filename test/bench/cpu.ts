import { readFileSync } from 'node:fs';

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
