/**
 * npm run bench:review [-- --quick] [-- --publish-only] [-- --pairs <n>]
 *
 * The request path of review and publish at scale, through `npm start`'s runtime over real HTTP
 * (DynamoDB Local in memory, the matching worker thread, the local state machine runner):
 *
 * 1. A run of 20,000 staged pairs: the time of `POST …/decisions` (approve all, reject 100),
 *    of `POST …/publish`, and of publishing end to end until the run reads published, with the
 *    slowest single request seen meanwhile, and the CPU of this process and of DynamoDB Local (by
 *    thread: its database thread `SQLiteQueue`, its HTTP threads `qtp`, its JIT and GC), until
 *    published and until quiet again. Targets: end to end under 60 s, no request over 2 s.
 * 2. API latency while a 10,000-person one_to_one run executes: the same paced load of
 *    `GET /v1/people/{id}` with no run going (A) and while the run executes (B), alternated,
 *    min and median of each phase's p50 and p99. Target: p99 under 200 ms during the run.
 *
 * Fixtures (people, enrollments, staged proposals) are written straight into the table: what is
 * measured is the API, not the seeding. `--quick` uses a tenth of the sizes; `--pairs <n>` stages n
 * pairs in part 1 (for an A/B at a size between the two); `--publish-only` runs part 1 alone.
 */
import { loadavg } from 'node:os';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { stageRun } from '@tandem/app';
import { enrollment, newId, type Proposal, person } from '@tandem/core';
import { freePort, startLocal } from '@tandem/local';
import {
  batchWriteAll,
  CursorCodec,
  createDocumentClient,
  createDynamoClient,
  type Db,
  gsi1,
  keys,
} from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { benchSealer } from '../bench-sealer.ts';
import {
  childThreadsCpuSeconds,
  cpuLine,
  descendantsCpuSeconds,
  threadsLine,
  untilDynamoQuiet,
} from '../cpu.ts';

const quick = process.argv.includes('--quick');
const publishOnly = process.argv.includes('--publish-only');
const pairsFlag = process.argv.indexOf('--pairs');
const PAIRS = pairsFlag > 0 ? Number(process.argv[pairsFlag + 1]) : quick ? 2_000 : 20_000;
const PEOPLE = quick ? 1_000 : 10_000;
const ROUNDS = 2;
/** Requests in flight during the latency phases, and the pause between each client's requests. */
const CLIENTS = 4;
const PAUSE_MS = 20;
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Marketing', 'Support', 'Legal', 'Design', 'Ops'];
const SKILLS = ['negotiation', 'sql', 'public speaking', 'forecasting', 'design', 'hiring', 'python'];

/** Each part gets a runtime of its own, so one part's stream backlog does not slow the other. */
let local: Awaited<ReturnType<typeof startLocal>>;
let db: Db;
async function withRuntime(part: () => Promise<void>) {
  local = await startLocal({ port: await freePort(), dataDir: undefined, log: () => {}, rateLimits: false });
  db = {
    doc: createDocumentClient(createDynamoClient({ endpoint: local.dynamoEndpoint })),
    tableName: 'tandem-local',
  };
  try {
    await part();
  } finally {
    await local.stop();
  }
}

async function http(method: string, path: string, key: string, body?: unknown) {
  const started = performance.now();
  const response = await fetch(`${local.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json().catch(() => undefined)) as any;
  const ms = performance.now() - started;
  if (response.status >= 400)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return { json, ms };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function newTenant() {
  const { json } = await http('POST', '/v1/tenants', local.operatorKey, { name: 'Bench Org' });
  return { tenantId: json.tenant.id as string, key: json.adminKey.secret as string };
}

/** People and their active enrollments in a program, as the repositories would have written them. */
async function seedEnrolled(
  tenantId: string,
  programId: string,
  count: number,
  roleOf: (i: number) => string,
) {
  const at = new Date().toISOString();
  const ids: string[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const p = person.parse({
      id: newId('person'),
      name: `Person ${i}`,
      email: `person.${i}.${tenantId}@bench.example`,
      department: DEPARTMENTS[i % DEPARTMENTS.length],
      timezone: 'Europe/Berlin',
      languages: ['en'],
      skillsOffered: [{ name: SKILLS[i % SKILLS.length], level: 1 + (i % 5) }],
      skillsWanted: [{ name: SKILLS[(i * 3 + 1) % SKILLS.length] }],
      careerGoals: [`Goal ${i % 40}`],
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    ids.push(p.id);
    items.push({
      ...keys.person(tenantId, p.id),
      GSI1PK: gsi1.peopleByUpdate(tenantId),
      GSI1SK: `${at}#${p.id}`,
      entity: 'person',
      ...p,
    });
    const role = roleOf(i);
    const e = enrollment.parse({
      id: newId('enrollment'),
      programId,
      personId: p.id,
      role,
      ...(role === 'mentor' ? { capacity: 4 } : {}),
      status: 'active',
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    items.push({ ...keys.enrollment(tenantId, programId, e.id), entity: 'enrollment', ...e });
    items.push({ ...keys.enrollmentSeat(tenantId, programId, p.id), enrollmentId: e.id });
  }
  await batchWriteAll(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: keys.program(tenantId, programId),
      UpdateExpression: 'SET activeEnrollments = :n',
      ExpressionAttributeValues: { ':n': count },
    }),
  );
  return ids;
}

async function publishAtScale() {
  const { tenantId, key } = await newTenant();
  const program = await http('POST', '/v1/programs', key, { name: 'Publish at scale', format: 'peer_pairs' });
  const programId = program.json.id as string;
  const people = await seedEnrolled(tenantId, programId, PAIRS * 2, () => 'peer');
  // A run staged by the Stage step's own use case, as if matching had proposed these pairs.
  const store = tenantStore(
    { tenant: db, platform: db, sealer: benchSealer },
    tenantId,
    new CursorCodec('bench-cursor-secret-0123'),
  );
  const runId = newId('matchRun');
  const now = new Date().toISOString();
  await store.matchRuns.create(
    {
      id: runId,
      programId,
      status: 'queued',
      options: { dryRun: false },
      format: 'peer_pairs',
      progress: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    },
    { type: 'match_run.started', data: { runId, programId, dryRun: false } },
  );
  const proposals: Proposal[] = Array.from({ length: PAIRS }, (_, i) => ({
    id: newId('proposal'),
    runId,
    kind: 'pair',
    members: [
      { personId: people[2 * i]!, role: 'peer' },
      { personId: people[2 * i + 1]!, role: 'peer' },
    ],
    score: 0.5,
    explanation: { contributions: { skills: 0.5 }, reasons: ['bench pair'] },
    decision: 'pending',
  }));
  await stageRun(
    { tenantId, store, clock: () => new Date() },
    { programId, runId },
    proposals,
    {
      participants: PAIRS * 2,
      proposals: PAIRS,
      unmatched: 0,
      scoreSum: PAIRS / 2,
      meanScore: 0.5,
      shareMatched: 1,
      crossDepartmentShare: 1,
      fairness: 0.5,
    },
    {},
  );
  const runPath = `/v1/programs/${programId}/match-runs/${runId}`;
  // The runtime's stream readers read the seeded records (about 140,000) behind the seeding: that
  // catching up is the seed's, not the publish's, so it is left out of the measured interval.
  const settled = await untilDynamoQuiet();
  const cpuBefore = process.cpuUsage();
  const dynamoBefore = descendantsCpuSeconds();
  const threadsBefore = childThreadsCpuSeconds();
  const started = performance.now();
  const decided = await http('POST', `${runPath}/decisions`, key, {
    approve: 'all',
    reject: proposals.slice(0, 100).map((p) => p.id),
  });
  const published = await http('POST', `${runPath}/publish`, key);
  let slowest = Math.max(decided.ms, published.ms);
  let run: any;
  do {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const read = await http('GET', runPath, key);
    slowest = Math.max(slowest, read.ms);
    run = read.json;
  } while (run.status === 'publishing');
  const total = performance.now() - started;
  const { user, system } = process.cpuUsage(cpuBefore);
  const cpu = { nodeCpu: (user + system) / 1e6, dynamoCpu: descendantsCpuSeconds() - dynamoBefore };
  const threadsPublished = childThreadsCpuSeconds();
  console.log(
    `\n${PAIRS.toLocaleString()} staged pairs, approve all and reject 100, then publish ` +
      `(DynamoDB Local quiet after the seed in ${settled.toFixed(0)} s):`,
  );
  console.log(`  POST decisions ${fmt(decided.ms)}, POST publish ${fmt(published.ms)} (202)`);
  console.log(
    `  decisions + publish end to end ${(total / 1000).toFixed(1)} s, run ${run.status}, ` +
      `${run.publication?.relationships} relationships, ${run.publication?.skipped} skipped`,
  );
  console.log(`  slowest single request ${fmt(slowest)} (target: every request under 2 s, total under 60 s)`);
  // Node's figure covers the API, the step worker thread and the stream reactions: one process.
  console.log(
    `  ${cpuLine(cpu)}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`  DynamoDB Local by thread: ${threadsLine(threadsBefore, threadsPublished)}`);
  console.log(`  steps: ${stepsOf(run.progress)}`);
  if (run.status !== 'published') console.log(`  failure: ${JSON.stringify(run.failure)}`);
  // The reactions (analytics) and the relay follow the publish through the stream: the CPU until
  // DynamoDB Local is quiet again is the whole work the publish caused, wherever it fell.
  const caughtUp = await untilDynamoQuiet(300);
  const all = process.cpuUsage(cpuBefore);
  console.log(
    `  until quiet again (${caughtUp.toFixed(0)} s more): ${cpuLine({
      nodeCpu: (all.user + all.system) / 1e6,
      dynamoCpu: descendantsCpuSeconds() - dynamoBefore,
    })}; DynamoDB Local by thread after the run read published: ${threadsLine(threadsPublished, childThreadsCpuSeconds())}`,
  );
}

const stepsOf = (progress: { step: string; startedAt: string; finishedAt?: string }[]) =>
  progress
    .map(
      (p) =>
        `${p.step} ${((Date.parse(p.finishedAt ?? p.startedAt) - Date.parse(p.startedAt)) / 1000).toFixed(1)} s`,
    )
    .join(', ');

/** Paced GETs from CLIENTS clients until `until` settles; returns each request's latency. */
async function load(key: string, ids: string[], until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; !done; i += CLIENTS) {
        latencies.push((await http('GET', `/v1/people/${ids[i % ids.length]}`, key)).ms);
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

async function latencyDuringRuns() {
  const { tenantId, key } = await newTenant();
  const program = await http('POST', '/v1/programs', key, { name: 'Latency', format: 'one_to_one' });
  const programId = program.json.id as string;
  const ids = await seedEnrolled(tenantId, programId, PEOPLE, (i) => (i % 4 === 0 ? 'mentor' : 'mentee'));
  const idle: { p50: number; p99: number }[] = [];
  const running: { p50: number; p99: number; seconds: number }[] = [];
  const stepTimes: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const quiet = await load(key, ids, new Promise((resolve) => setTimeout(resolve, 5_000)));
    idle.push({ p50: percentile(quiet, 0.5), p99: percentile(quiet, 0.99) });
    const started = performance.now();
    const run = await http('POST', `/v1/programs/${programId}/match-runs`, key, {});
    const finished = (async () => {
      for (;;) {
        const read = await http('GET', `/v1/programs/${programId}/match-runs/${run.json.id}`, key);
        if (read.json.status !== 'queued' && read.json.status !== 'running') return read.json;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const busy = await load(key, ids, finished);
    const result = await finished;
    if (result.status !== 'awaiting_review')
      throw new Error(`run ${result.status}: ${JSON.stringify(result.failure)}`);
    stepTimes.push(stepsOf(result.progress));
    running.push({
      p50: percentile(busy, 0.5),
      p99: percentile(busy, 0.99),
      seconds: (performance.now() - started) / 1000,
    });
    await http('POST', `/v1/programs/${programId}/match-runs/${run.json.id}/cancel`, key);
  }
  console.log(`\nGET /v1/people/{id}, ${CLIENTS} paced clients, ${ROUNDS} rounds alternating:`);
  const row = (name: string, rows: { p50: number; p99: number }[]) =>
    console.log(
      `  ${name}: p50 min ${fmt(Math.min(...rows.map((r) => r.p50)))} median ${fmt(median(rows.map((r) => r.p50)))}, ` +
        `p99 min ${fmt(Math.min(...rows.map((r) => r.p99)))} median ${fmt(median(rows.map((r) => r.p99)))}`,
    );
  row('A, no run going', idle);
  row(`B, ${PEOPLE.toLocaleString()}-person run executing`, running);
  console.log(
    `  runs took ${running.map((r) => `${r.seconds.toFixed(1)} s`).join(', ')} (target: B's p99 under 200 ms)`,
  );
  for (const steps of stepTimes) console.log(`  steps: ${steps}`);
}

await withRuntime(publishAtScale);
if (!publishOnly) await withRuntime(latencyDuringRuns);
