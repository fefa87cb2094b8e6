/**
 * npm run bench:exports [-- --quick]
 *
 * The program meetings export through `npm start`'s runtime over real HTTP: a program of 20,000
 * relationships with 10 meetings each (200,000 rows), streamed to a client that reads it chunk by
 * chunk, as a browser download would. Targets: under 10 s, and peak memory under 150 MB. The
 * relationships and meetings are written straight into the table as their repositories write
 * them (what is measured is the export, not the seeding). Three interleaved pairs of exports:
 * A reads relationship by relationship (the program not marked as having its meeting rows: the
 * fallback, and what every export did before there was a program meeting index), B reads the
 * program's meeting rows (its meeting index). Min and median of each, B/A per pair, and the
 * process's peak RSS during each export (the API server and the client share this process) above
 * its RSS before the first. `--quick` uses a tenth of the size. `--index-only` runs B only.
 * `--baseline <dir>` (another checkout, as for bench:schedule) compares instead the baseline's
 * export use case (A) with this code's (B), in this process on the indexed program, each rendered
 * to CSV in the route's chunks, after one uncounted run of each; the meetings are then seeded with
 * the baseline's index entries as well (a GSI1 entry and its mark, if the baseline's keys have
 * them). Each run's CPU seconds in this process and in DynamoDB Local are printed too. Each
 * export starts once DynamoDB Local is quiet (see untilDynamoQuiet): right after the bulk seed, the
 * runtime's stream readers are still reading its records.
 */
import { loadavg } from 'node:os';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { meeting, newId, relationship } from '@tandem/core';
import { freePort, startLocal } from '@tandem/local';
import {
  batchWriteAll,
  createDocumentClient,
  createDynamoClient,
  type Db,
  keys,
  meetingRowItem,
} from '@tandem/store';
import { benchSealer } from './bench-sealer.ts';
import { cpuLine, measured, untilDynamoQuiet } from './cpu.ts';

const quick = process.argv.includes('--quick');
const RELATIONSHIPS = quick ? 2_000 : 20_000;
const MEETINGS_EACH = 10;
/** Interleaved pairs of exports (A, then B). */
const RUNS = 3;
const SEED_WRITERS = 8;
const baselineAt = process.argv.indexOf('--baseline');
const baselineDir = baselineAt > 0 ? process.argv[baselineAt + 1] : undefined;
const indexOnly = process.argv.includes('--index-only');
const CURSOR_SECRET = 'bench-cursor-secret-0123456789';

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

/** The baseline's store, when comparing with one: its keys say how its meeting index was written. */
const baselineStore = baselineDir ? await import(`${baselineDir}/packages/store/src/index.ts`) : undefined;

async function seed(tenantId: string, programId: string) {
  const at = new Date().toISOString();
  let items: Record<string, unknown>[] = [];
  // Several batch writers at once: one at a time, seeding the full size took longer than the session.
  const flush = async () => {
    const requests = items.map((Item) => ({ PutRequest: { Item } }));
    items = [];
    const share = Math.ceil(requests.length / SEED_WRITERS);
    await Promise.all(
      Array.from({ length: SEED_WRITERS }, (_, w) =>
        batchWriteAll(db, requests.slice(w * share, (w + 1) * share)),
      ),
    );
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
      items.push(
        {
          ...keys.meeting(tenantId, value.id, held.id),
          ...(baselineStore?.gsi1.meetingsOfProgram
            ? {
                GSI1PK: baselineStore.gsi1.meetingsOfProgram(tenantId, programId, value.id),
                GSI1SK: `${value.id}#${held.id}`,
              }
            : {}),
          entity: 'meeting',
          ...held,
        },
        meetingRowItem(tenantId, programId, held),
      );
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
  const exportOnce = async () => {
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
    if (lines !== RELATIONSHIPS * MEETINGS_EACH + 1)
      throw new Error(`expected ${RELATIONSHIPS * MEETINGS_EACH + 1} lines, read ${lines}`);
    return { ms: performance.now() - started, peak };
  };
  type Run = { ms: number; peak: number; cpu?: string };
  const tenantId = created.tenant.id as string;
  const programId = program.id as string;
  const markIndexed = () =>
    db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...keys.programMeetingRows(tenantId, programId), entity: 'programMeetingRows' },
      }),
    );
  // Default: A the program not marked as having its meeting rows, so the export reads relationship
  // by relationship (the path a program with meetings from before the rows takes once, and what
  // every export did before there was an index), B the program's meeting rows, both over HTTP.
  // Interleaved, so both see the same load.
  let variants: { name: string; label: string; run: () => Promise<Run> }[] = [
    {
      name: 'A',
      label: 'per relationship (fallback)',
      run: async () => {
        await db.doc.send(
          new DeleteCommand({
            TableName: db.tableName,
            Key: keys.programMeetingRows(tenantId, programId),
          }),
        );
        return exportOnce();
      },
    },
    { name: 'B', label: 'program meeting rows', run: exportOnce },
  ];
  if (indexOnly) variants = variants.slice(1);
  if (baselineDir) {
    // A the baseline's export use case, B this code's, in this process on the indexed program, each
    // rendered to CSV in the route's chunks (what HTTP adds is the same for both, and left out).
    await markIndexed();
    if (baselineStore?.keys.programMeetingsIndexed)
      await db.doc.send(
        new PutCommand({
          TableName: db.tableName,
          Item: {
            ...baselineStore.keys.programMeetingsIndexed(tenantId, programId),
            entity: 'programMeetingsIndexed',
          },
        }),
      );
    const inProcess = async (dir: string) => {
      const [app, store, core] = await Promise.all(
        ['app', 'store', 'core'].map((name) => import(`${dir}/packages/${name}/src/index.ts`)),
      );
      const ctx = {
        tenantId,
        clock: () => new Date(),
        store: store.tenantStore(
          { tenant: db, platform: db, sealer: benchSealer },
          tenantId,
          new store.CursorCodec(CURSOR_SECRET),
        ),
      };
      return async (): Promise<Run> => {
        peak = process.memoryUsage.rss();
        const started = performance.now();
        const data = await app.exportMeetings(ctx, programId);
        let chunk: string = core.csvLine(data.columns);
        let rows = 0;
        for await (const row of data.rows) {
          chunk += core.csvLine(row);
          rows++;
          if (chunk.length >= 64 * 1024) chunk = '';
        }
        if (rows !== RELATIONSHIPS * MEETINGS_EACH)
          throw new Error(`expected ${RELATIONSHIPS * MEETINGS_EACH} rows, read ${rows}`);
        return { ms: performance.now() - started, peak };
      };
    };
    variants = [
      { name: 'A', label: `baseline ${baselineDir}, in process`, run: await inProcess(baselineDir) },
      { name: 'B', label: 'this code, in process', run: await inProcess(process.cwd()) },
    ];
    // Uncounted: both variants' code and DynamoDB Local warm up.
    for (const variant of variants) await variant.run();
  }
  const runs: Record<string, Run[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let run = 0; run < RUNS; run++) {
    // A B, then B A, ...: neither always runs first.
    for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
      // Each export alone: not while the runtime's stream readers still read the seed's records.
      const waited = await untilDynamoQuiet();
      const m = await measured(variant.run);
      runs[variant.name]!.push({
        ...m.result,
        cpu: `${cpuLine(m)}, after ${waited.toFixed(0)} s of waiting`,
      });
    }
  }
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const stats = (list: { ms: number }[]) => {
    const sorted = list.map((r) => r.ms).sort((a, b) => a - b);
    return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
  };
  for (const { name, label } of variants) {
    const { min, median } = stats(runs[name]!);
    console.log(
      `${name} ${label}, ${RELATIONSHIPS * MEETINGS_EACH} rows: min ${seconds(min)}, median ${seconds(median)}; peak RSS above before: ${runs[name]!.map((r) => mb(r.peak - before)).join(', ')}`,
    );
    console.log(`  each run: ${runs[name]!.map((r) => `${seconds(r.ms)} (${r.cpu})`).join('; ')}`);
  }
  if (runs.A && runs.B) {
    const ratios = runs.B.map((b, i) => b.ms / runs.A![i]!.ms).sort((a, b) => a - b);
    console.log(
      `B/A per pair: min ${ratios[0]!.toFixed(2)}, median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}`,
    );
  }
  console.log(
    `process RSS before ${mb(before)}; targets: under 10 s, under 150 MB; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  clearInterval(sampler);
  await local.stop();
}
