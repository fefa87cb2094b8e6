/**
 * npm run bench:webhook-lag [-- --bursts 3 --events 500]
 *
 * Outbound webhook latency through the local runtime (`startLocal`, data on disk as under
 * `npm start`): bursts of person.created events, each delivered to a receiver on 127.0.0.1.
 * Lag is the receipt time minus the event's own timestamp, so it spans the outbox write, the
 * stream poller, the relay, the table queue and the signed POST. The bursts share one data
 * folder, so a backlog left by one shows up as lag in the next. Between bursts the runtime sits
 * idle and the bench reports what the poller did meanwhile: the stream position file must not
 * change and the process should use next to no CPU.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startLocal } from '@tandem/local';

const { values } = parseArgs({
  options: {
    bursts: { type: 'string', default: '3' },
    events: { type: 'string', default: '500' },
    'idle-seconds': { type: 'string', default: '5' },
  },
});
const BURSTS = Number(values.bursts);
const EVENTS = Number(values.events);
const IDLE_MS = Number(values['idle-seconds']) * 1000;
/** Requests in flight while the burst is written: a busy client, not a denial of service. */
const CLIENTS = 16;

const received = new Map<string, number>();
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = Date.now();
    const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; timestamp: string };
    if (!received.has(envelope.id)) received.set(envelope.id, at - Date.parse(envelope.timestamp));
    res.writeHead(204).end();
  });
});
const receiverPort = await new Promise<number>((resolve) =>
  receiver.listen(0, '127.0.0.1', () => resolve((receiver.address() as { port: number }).port)),
);

const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-webhooks-'));
const local = await startLocal({ port: await freePort(), dataDir, log: () => {}, rateLimits: false });
const api = async (method: string, path: string, body: unknown) => {
  const response = await fetch(`${local.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${local.demo.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<{ id: string }>;
};
await api('POST', '/v1/webhook-endpoints', {
  url: `http://127.0.0.1:${receiverPort}/hooks`,
  eventTypes: ['person.created'],
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9);

console.log(`${BURSTS} bursts of ${EVENTS} events, ${CLIENTS} clients, receiver on 127.0.0.1`);
console.log(
  `${'burst'.padEnd(6)} ${'written in'.padStart(10)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}   idle afterwards`,
);
try {
  for (let burst = 1; burst <= BURSTS; burst++) {
    received.clear();
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < EVENTS) {
          const n = next++;
          await api('POST', '/v1/people', {
            name: `Burst ${burst} #${n}`,
            email: `b${burst}-${n}@bench.example`,
          });
        }
      }),
    );
    const written = Date.now() - started;
    const deadline = Date.now() + 5 * 60_000;
    while (received.size < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lags = [...received.values()].sort((a, b) => a - b);
    if (lags.length < EVENTS) throw new Error(`only ${lags.length} of ${EVENTS} events arrived`);

    // The last deliveries' own bookkeeping writes still pass through the poller; once the
    // position file has been still for a while, the runtime is idle.
    const positions = join(dataDir, 'stream-checkpoints.json');
    const stamp = () => (existsSync(positions) ? statSync(positions).mtimeMs : 'absent');
    for (let last = stamp(), still = 0; still < 3; still++) {
      await new Promise((r) => setTimeout(r, 1_000));
      if (stamp() !== last) [last, still] = [stamp(), -1];
    }
    const before = stamp();
    const cpu = process.cpuUsage();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const used = process.cpuUsage(cpu);
    const core = (used.user + used.system) / 1000 / IDLE_MS;
    const idle = `${core.toFixed(3)} core, positions file ${stamp() === before ? 'unchanged' : 'REWRITTEN'}`;
    console.log(
      `${String(burst).padEnd(6)} ${seconds(written).padStart(10)} ${seconds(percentile(lags, 50))} ${seconds(percentile(lags, 99))} ${seconds(lags.at(-1)!)}   ${idle}`,
    );
  }
} finally {
  await local.stop();
  receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
}
