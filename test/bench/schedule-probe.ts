/**
 * What `bench:schedule` prints per pass beside its wall time, to tell where a pass goes: the
 * requests the pass sent by operation (count, summed latency, transaction items, events, refused
 * conditions), and the CPU of DynamoDB Local's JVM by kind of thread (its one database thread,
 * its HTTP threads, garbage collection, the JIT compilers) from /proc (Linux only; zeros elsewhere).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface OperationTally {
  count: number;
  ms: number;
  items: number;
  refused: number;
}

type Attribute = { S?: string } | string | undefined;
const text = (value: Attribute) => (typeof value === 'string' ? value : value?.S);

/** Counts every request the client sends, by operation, until `take` starts a new tally. */
export function countRequests(client: DynamoDBClient) {
  let tally = new Map<string, OperationTally>();
  let events = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const began = performance.now();
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const entry = tally.get(name) ?? { count: 0, ms: 0, items: 0, refused: 0 };
      tally.set(name, entry);
      const input = args.input as { TransactItems?: { Put?: { Item?: Record<string, Attribute> } }[] };
      for (const item of input.TransactItems ?? []) {
        const put = item.Put?.Item;
        if (put && text(put.entity) === 'event') {
          const type = text(put.type) ?? '?';
          events.set(type, (events.get(type) ?? 0) + 1);
        }
      }
      entry.count++;
      entry.items += input.TransactItems?.length ?? 0;
      try {
        return await next(args);
      } catch (error) {
        entry.refused++;
        throw error;
      } finally {
        entry.ms += performance.now() - began;
      }
    },
    { step: 'build', name: 'benchRequestCount' },
  );
  return {
    take() {
      const taken = { tally, events };
      tally = new Map();
      events = new Map();
      return taken;
    },
  };
}

export function describeRequests({ tally, events }: ReturnType<ReturnType<typeof countRequests>['take']>) {
  const operations = [...tally]
    .sort(([, a], [, b]) => b.count - a.count)
    .map(
      ([name, t]) =>
        `${name} ${t.count}${t.items ? ` (${t.items} items)` : ''}${t.refused ? ` (${t.refused} refused)` : ''} ${(t.ms / 1000).toFixed(1)} s`,
    );
  const raised = [...events].map(([type, n]) => `${type} ${n}`);
  return `requests: ${operations.join(', ')}; summed latency is across the 16 lanes; events: ${raised.join(', ') || 'none'}`;
}

const threadKind = (name: string) =>
  /^SQLiteQueue/.test(name)
    ? 'database thread'
    : /^qtp/.test(name)
      ? 'HTTP'
      : /Compiler|Sweeper/.test(name)
        ? 'JIT'
        : /^(G1|GC |VM Thread)/.test(name)
          ? 'GC'
          : 'other';

/** CPU seconds of a process's threads so far, by kind of thread. */
export function threadCpu(pid: number | undefined): Map<string, number> {
  const byKind = new Map<string, number>();
  if (!pid) return byKind;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
        const kind = threadKind(name);
        byKind.set(kind, (byKind.get(kind) ?? 0) + seconds);
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    // Not Linux, or the process ended: no figure.
  }
  return byKind;
}

export function describeThreadCpu(before: Map<string, number>, after: Map<string, number>) {
  return [...after]
    .map(([kind, seconds]) => [kind, seconds - (before.get(kind) ?? 0)] as const)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, seconds]) => `${kind} ${seconds.toFixed(1)}`)
    .join(', ');
}

/** Milliseconds this process spent in garbage collection since the last `take`. */
export function nodeGc() {
  let ms = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) ms += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  return {
    take() {
      const taken = ms;
      ms = 0;
      return taken;
    },
  };
}

/** The JVM's own garbage collection counters (`jstat -gc`): collections, seconds paused, old generation in MB. */
export function jvmGc(pid: number | undefined): Map<string, number> {
  try {
    const [header, values] = execFileSync('jstat', ['-gc', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/));
    return new Map(header!.map((name, i) => [name, Number(values![i])]));
  } catch {
    return new Map();
  }
}

export function describeJvmGc(before: Map<string, number>, after: Map<string, number>) {
  if (!after.size) return 'no jstat';
  const diff = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  return `${diff('YGC')} young (${diff('YGCT').toFixed(2)} s), ${diff('FGC')} full (${diff('FGCT').toFixed(2)} s), ${diff('CGC')} concurrent (${diff('CGCT').toFixed(2)} s); old ${((after.get('OU') ?? 0) / 1024).toFixed(0)} MB, heap ${(((after.get('EC') ?? 0) + (after.get('OC') ?? 0) + (after.get('S0C') ?? 0) + (after.get('S1C') ?? 0)) / 1024).toFixed(0)} MB`;
}
