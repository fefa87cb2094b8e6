/**
 * npm run bench:exports [-- --quick]
 *
 * The program meetings export through `npm start`'s runtime over real HTTP: a program of 20,000
 * relationships with 10 meetings each (200,000 rows), streamed to a client that reads it chunk by
 * chunk, as a browser download would. Targets: under 10 s, and peak memory under 150 MB. The
 * relationships and meetings are written straight into the table as their repositories write
 * them (what is measured is the export, not the seeding). Three exports; min and median of the
 * time, and the process's peak RSS during each (the API server and the client share this
 * process) above its RSS before the first. `--quick` uses a tenth of the size.
 */
import { meeting, newId, relationship } from '@tandem/core';
import { freePort, startLocal } from '@tandem/local';
import { batchWriteAll, createDocumentClient, createDynamoClient, type Db, keys } from '@tandem/store';

const quick = process.argv.includes('--quick');
const RELATIONSHIPS = quick ? 2_000 : 20_000;
const MEETINGS_EACH = 10;
const RUNS = 3;

const local = await startLocal({
  port: await freePort(),
  dataDir: undefined,
  log: () => {},
  rateLimits: false,
});
const db: Db = {
  doc: createDocumentClient(createDynamoClient({ endpoint: local.dynamoEndpoint })),
  tableName: 'tandem-local',
};

async function http(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${local.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as any;
  if (response.status >= 400)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function seed(tenantId: string, programId: string) {
  const at = new Date().toISOString();
  let items: Record<string, unknown>[] = [];
  const flush = async () => {
    await batchWriteAll(
      db,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
    items = [];
  };
  for (let i = 0; i < RELATIONSHIPS; i++) {
    const members = [
      { personId: newId('person'), role: 'peer' as const },
      { personId: newId('person'), role: 'peer' as const },
    ];
    const value = relationship.parse({
      id: newId('relationship'),
      programId,
      members,
      score: 0.5,
      explanation: { contributions: {}, reasons: [] },
      status: 'active',
      source: 'manual',
      startedAt: at,
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    items.push({ ...keys.relationship(tenantId, value.id), entity: 'relationship', ...value });
    for (let m = 0; m < MEETINGS_EACH; m++) {
      const held = meeting.parse({
        id: newId('meeting'),
        relationshipId: value.id,
        status: 'held',
        startsAt: new Date(Date.parse(at) - (m + 1) * 14 * 86_400_000).toISOString(),
        timeZone: 'Europe/Berlin',
        durationMinutes: 45,
        attendance: members.map((p) => ({ personId: p.personId, attended: true })),
        topics: ['Career', 'Feedback'],
        loggedAt: at,
        createdAt: at,
        updatedAt: at,
        version: 2,
      });
      items.push({ ...keys.meeting(tenantId, value.id, held.id), entity: 'meeting', ...held });
    }
    if (items.length >= 5_000) await flush();
  }
  await flush();
}

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 10);

try {
  const created = await http('POST', '/v1/tenants', local.operatorKey, { name: 'Bench Org' });
  const key = created.adminKey.secret as string;
  const program = await http('POST', '/v1/programs', key, { name: 'Peers', format: 'peer_pairs' });
  const seeding = performance.now();
  await seed(created.tenant.id, program.id);
  console.log(
    `${RELATIONSHIPS} relationships × ${MEETINGS_EACH} meetings seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
  );

  global.gc?.();
  const before = process.memoryUsage.rss();
  const times: number[] = [];
  const peaks: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    peak = process.memoryUsage.rss();
    const started = performance.now();
    const response = await fetch(`${local.url}/v1/programs/${program.id}/exports/meetings`, {
      headers: { authorization: `Bearer ${key}` },
    });
    let lines = 0;
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    }
    times.push(performance.now() - started);
    peaks.push(peak);
    if (lines !== RELATIONSHIPS * MEETINGS_EACH + 1)
      throw new Error(`expected ${RELATIONSHIPS * MEETINGS_EACH + 1} lines, read ${lines}`);
  }
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `meetings export, ${RELATIONSHIPS * MEETINGS_EACH} rows: min ${(sorted[0]! / 1000).toFixed(2)} s, median ${(sorted[1]! / 1000).toFixed(2)} s (target under 10 s)`,
  );
  console.log(
    `process RSS before ${mb(before)}; peak during each export ${peaks.map(mb).join(', ')}; above before: ${peaks.map((p) => mb(p - before)).join(', ')} (target under 150 MB)`,
  );
} finally {
  clearInterval(sampler);
  await local.stop();
}
