/**
 * 1,000 awards with certificates end to end under the local runtime: nominations through the API
 * (an award type that needs no approval), each run by the recognition state machine on the local
 * runner (Evaluate, Grant, Certify with a PDF into the folder blob store, Announce). Prints the
 * throughput and, per award, the time from the nomination to `awarded` (min, median, p95).
 * `npm run bench:recognition -- --awards 200` for a shorter run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { authorizeInProcess, createApp, createAuthorizer, hashSecret } from '@tandem/api';
import {
  createLocalMatching,
  createLocalRecognition,
  startDynamoDbLocal,
  TableDeliveryQueue,
  TableHrisQueue,
} from '@tandem/local';
import { createDocumentClient, createDynamoClient, ensureTable } from '@tandem/store';
import { defaultDeliveryPolicy } from '@tandem/webhooks';
import { benchSealer } from './bench-sealer.ts';

const awardsArg = process.argv.indexOf('--awards');
const AWARDS = awardsArg > 0 ? Number(process.argv[awardsArg + 1]) : 1000;
/** Nominations in flight at once, as many clients would send them. */
const CONCURRENCY = 16;
const OPERATOR_KEY = 'tdm_op_bench-operator-key-0123456789';
const CURSOR_SECRET = 'bench-cursor-secret-0123456789';

const dynamo = await startDynamoDbLocal();
const client = createDynamoClient({ endpoint: dynamo.endpoint });
const db = { doc: createDocumentClient(client), tableName: 'tandem-bench' };
await ensureTable(client, db.tableName);
const quiet = { info: () => {}, warn: () => {} };
const matching = createLocalMatching({
  db,
  endpoint: dynamo.endpoint,
  cursorSecret: CURSOR_SECRET,
  blobDir: mkdtempSync(join(tmpdir(), 'tandem-bench-blobs-')),
  logger: quiet,
});
const recognition = createLocalRecognition({
  db,
  cursorSecret: CURSOR_SECRET,
  blobDir: mkdtempSync(join(tmpdir(), 'tandem-bench-certificates-')),
  publicUrl: 'http://localhost:3000',
  logger: quiet,
});
const app = createApp({
  platformDb: db,
  tenantDb: () => db,
  cursorSecret: CURSOR_SECRET,
  sealer: benchSealer,
  resolvePrincipal: authorizeInProcess(
    createAuthorizer({
      db,
      operatorKeyHash: hashSecret(OPERATOR_KEY),
      urlPolicy: { allowInsecureUrls: true },
    }),
  ),
  logger: new Logger({ serviceName: 'tandem-bench', logLevel: 'SILENT' }),
  webhooks: { queue: new TableDeliveryQueue(db), policy: defaultDeliveryPolicy },
  hris: { queue: new TableHrisQueue(db) },
  matching: { starter: matching.starter },
  recognition,
});

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, any>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const tenant = await call('POST', '/v1/tenants', OPERATOR_KEY, { name: 'Bench Org' });
const key = tenant.adminKey.secret as string;
const program = await call('POST', '/v1/programs', key, { name: 'Bench program', format: 'one_to_one' });
const type = await call('POST', '/v1/award-types', key, {
  name: 'Bench award',
  criteria: 'Took part in the benchmark',
  requiresApproval: false,
  certificate: true,
});
const people: string[] = [];
for (let i = 0; i < 50; i++)
  people.push(
    (await call('POST', '/v1/people', key, { name: `Person ${i}`, email: `p${i}@bench.example` })).id,
  );

const started = performance.now();
const nominatedAt = new Map<string, number>();
const finished = new Map<string, number>();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < AWARDS) {
      const i = next++;
      const t = performance.now();
      const nomination = await call('POST', '/v1/nominations', key, {
        personId: people[i % people.length],
        awardTypeId: type.id,
        programId: program.id,
        reason: `Bench ${i}`,
      });
      nominatedAt.set(nomination.awardId, t);
    }
  }),
);
// Each award's end: read from the program's awards, the source of truth the API serves, a page
// of 100 at a time, so one round costs the same however many awards are still under way.
while (finished.size < AWARDS) {
  let cursor: string | undefined;
  do {
    const page = await call(
      'GET',
      `/v1/programs/${program.id}/awards?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      key,
    );
    const now = performance.now();
    for (const award of page.items as Record<string, any>[]) {
      if (award.status === 'failed')
        throw new Error(`award ${award.id} failed: ${JSON.stringify(award.failure)}`);
      if (award.status === 'awarded' && award.certificate && !finished.has(award.id))
        finished.set(award.id, now);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await recognition.runner.idle();
const seconds = (performance.now() - started) / 1000;
const latencies = [...finished].map(([id, end]) => end - nominatedAt.get(id)!).sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;

console.log(`${AWARDS} awards with certificates, ${CONCURRENCY} nominations in flight, local runner`);
console.log(`throughput: ${(AWARDS / seconds).toFixed(1)} awards/s (${seconds.toFixed(1)} s in all)`);
console.log(
  `per award, nomination → awarded: min ${latencies[0]!.toFixed(0)} ms, median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms`,
);
await matching.close();
client.destroy();
await dynamo.stop();
