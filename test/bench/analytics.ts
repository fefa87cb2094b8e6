/**
 * npm run bench:analytics [-- --quick]
 *
 * Program analytics at scale, through `npm start`'s runtime over real HTTP: a program of 10,000
 * participants (and people) in 5,000 relationships with 200,000 meetings, 20,000 goals, 50,000
 * meeting ratings and 50,000 survey responses (one survey; each participant answered its
 * pre-program, three pulses and its close-out). `--without-surveys` leaves the survey out, as the
 * bench was until session 20 (for comparison with earlier figures).
 *
 * - `GET /v1/programs/{id}/analytics` (and `?by=department`), interleaved: target median under 20 ms;
 * - `POST /v1/programs/{id}/analytics/recompute` (a full rebuild from the source items): under 30 s,
 *   the first one on an empty projection (every record written), the others on an unchanged
 *   program (every source read, nothing written).
 *
 * The source items are written straight into the table as the repositories write them (what is
 * measured is the reads and the rebuild, not the seeding): meetings scheduled by a member and
 * logged, each with its row in the program's meeting rows, goals with the history entries of their
 * two updates, each relationship's health inputs mark, and survey responses with their answered
 * instances and the survey's response count. The recompute builds the counters the
 * reads then use. `--quick` uses a tenth of the size. Min and median are printed, and each
 * recompute's CPU seconds in this process and in DynamoDB Local, with DynamoDB Local's by thread
 * (its one database thread `SQLiteQueue`, its HTTP threads `qtp`, its JIT compilers). The seed
 * is written with the table's stream off (see withoutStream), and each recompute starts once
 * DynamoDB Local is quiet (the runtime's stream readers otherwise still read the previous
 * recompute's records during it). The stream records of a recompute's own writes are read by
 * those readers during it, as on any local run; in AWS they are read elsewhere.
 *
 * `--baseline <dir>` (another checkout, as for bench:exports) compares instead the baseline's
 * recompute use case (A) with this code's (B), in this process on the same program, three times
 * each in the order A B B A B A: on an empty projection (deleted before), then again on the
 * unchanged program, with the CPU seconds of each run. Both must give the same counters.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runDueTimers } from '@tandem/app';
import {
  enrollment,
  feedback,
  goal,
  goalUpdate,
  meeting,
  newId,
  person,
  relationship,
  type ScheduleKind,
  survey,
  surveyInstance,
  surveyResponse,
} from '@tandem/core';
import { freePort, startLocal } from '@tandem/local';
import {
  batchWriteAll,
  CursorCodec,
  createDocumentClient,
  createDynamoClient,
  type Db,
  ensureTable,
  gsi1,
  keys,
  meetingRowItem,
} from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { benchSealer } from './bench-sealer.ts';
import { childThreadsCpuSeconds, cpuLine, measured, threadsLine, untilDynamoQuiet } from './cpu.ts';

const quick = process.argv.includes('--quick');
const scale = quick ? 10 : 1;
const PARTICIPANTS = 10_000 / scale;
const MEETINGS_PER_RELATIONSHIP = 40;
const GOALS_PER_RELATIONSHIP = 4;
const RATINGS_PER_RELATIONSHIP = 10;
const surveys = !process.argv.includes('--without-surveys');
/** Each participant's answered instances: pre-program, three pulses, close-out. */
const ANSWERED: ScheduleKind[] = ['pre_program', 'pulse', 'pulse', 'pulse', 'close_out'];
const RESPONSES = surveys ? PARTICIPANTS * ANSWERED.length : 0;
const READS = quick ? 100 : 300;
const RECOMPUTES = 3;
const SEED_WRITERS = 8;
const baselineAt = process.argv.indexOf('--baseline');
const baselineDir = baselineAt > 0 ? process.argv[baselineAt + 1] : undefined;
const CURSOR_SECRET = 'bench-cursor-secret-0123456789';

const local = await startLocal({
  port: await freePort(),
  dataDir: undefined,
  log: () => {},
  rateLimits: false,
});
const dynamo = createDynamoClient({ endpoint: local.dynamoEndpoint });
const db: Db = { doc: createDocumentClient(dynamo), tableName: 'tandem-local' };

/**
 * Runs `work` with the table's stream turned off, then turns it on again (a new stream, which the
 * runtime's stream readers take up from its start). A program of this size is months of history
 * that the stream's readers (Lambdas on other machines in AWS) read long ago; written all at once
 * with the stream on, the runtime's two local readers would spend many minutes of DynamoDB Local's
 * CPU reading it on the same 2 cores, during the recomputes measured after it.
 */
async function withoutStream<T>(work: () => Promise<T>): Promise<T> {
  await dynamo.send(
    new UpdateTableCommand({ TableName: db.tableName, StreamSpecification: { StreamEnabled: false } }),
  );
  try {
    return await work();
  } finally {
    await ensureTable(dynamo, db.tableName);
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

/** Several batch writers at once: one at a time, seeding the full size took most of the bench. */
const put = (items: Record<string, unknown>[]) => {
  const requests = items.map((Item) => ({ PutRequest: { Item } }));
  const share = Math.ceil(requests.length / SEED_WRITERS);
  return Promise.all(
    Array.from({ length: SEED_WRITERS }, (_, w) =>
      batchWriteAll(db, requests.slice(w * share, (w + 1) * share)),
    ),
  );
};

async function seed(tenantId: string, programId: string) {
  const day = 86_400_000;
  const start = Date.parse('2027-01-11T09:00:00Z');
  const iso = (t: number) => new Date(t).toISOString();
  const departments = ['Engineering', 'Sales', 'Finance', 'Operations', 'Design', 'Legal'];
  const peopleIds: string[] = [];
  let batch: Record<string, unknown>[] = [];
  const flush = async (force = false) => {
    if (batch.length >= 5_000 || force) {
      await put(batch);
      batch = [];
    }
  };
  for (let i = 0; i < PARTICIPANTS; i++) {
    const p = person.parse({
      id: newId('person'),
      name: `Person ${i}`,
      email: `p${i}@bench.example`,
      department: departments[i % departments.length],
      status: i % 17 === 0 ? 'left' : 'active',
      createdAt: iso(start - 30 * day),
      updatedAt: iso(start - 30 * day),
      version: 1,
    });
    peopleIds.push(p.id);
    batch.push({ ...keys.person(tenantId, p.id), entity: 'person', ...p });
    const e = enrollment.parse({
      id: newId('enrollment'),
      programId,
      personId: p.id,
      role: 'peer',
      status: 'active',
      createdAt: iso(start - (i % 20) * day),
      updatedAt: iso(start - (i % 20) * day),
      version: 1,
    });
    batch.push({ ...keys.enrollment(tenantId, programId, e.id), entity: 'enrollment', ...e });
    await flush();
  }
  for (let r = 0; r < PARTICIPANTS / 2; r++) {
    const members = [peopleIds[2 * r]!, peopleIds[2 * r + 1]!];
    const rel = relationship.parse({
      id: newId('relationship'),
      programId,
      members: members.map((personId) => ({ personId, role: 'peer' })),
      score: 0.5,
      explanation: { contributions: {}, reasons: [] },
      status: r % 10 === 0 ? 'dissolved' : 'active',
      ...(r % 10 === 0 ? { endedAt: iso(start + 60 * day), endReason: 'no_time' } : {}),
      source: 'manual',
      milestones: [],
      startedAt: iso(start),
      createdAt: iso(start),
      updatedAt: iso(start),
      version: 1,
    });
    batch.push({ ...keys.relationship(tenantId, rel.id), entity: 'relationship', ...rel });
    batch.push({ ...keys.healthInputs(tenantId, rel.id), entity: 'healthInputs', mark: randomUUID() });
    const meetingIds: string[] = [];
    for (let m = 0; m < MEETINGS_PER_RELATIONSHIP; m++) {
      const cancelled = m % 8 === 0;
      const startsAt = start + m * 4 * day;
      const value = meeting.parse({
        id: newId('meeting'),
        relationshipId: rel.id,
        status: cancelled ? 'cancelled' : 'held',
        startsAt: iso(startsAt),
        timeZone: 'Europe/Berlin',
        durationMinutes: 45,
        scheduledBy: members[m % 2],
        attendance: cancelled ? [] : members.map((personId) => ({ personId, attended: true })),
        topics: cancelled ? [] : ['Career', 'Feedback'],
        loggedAt: iso(startsAt + day),
        createdAt: iso(startsAt - day),
        updatedAt: iso(startsAt + day),
        version: 2,
      });
      meetingIds.push(value.id);
      batch.push(
        { ...keys.meeting(tenantId, rel.id, value.id), entity: 'meeting', ...value },
        meetingRowItem(tenantId, programId, value),
      );
    }
    for (let g = 0; g < GOALS_PER_RELATIONSHIP; g++) {
      const value = goal.parse({
        id: newId('goal'),
        relationshipId: rel.id,
        title: `Goal ${g}`,
        status: g % 2 ? 'achieved' : 'in_progress',
        progress: g % 2 ? 100 : 40,
        createdAt: iso(start),
        updatedAt: iso(start),
        version: 3,
      });
      batch.push({ ...keys.goal(tenantId, rel.id, value.id), entity: 'goal', ...value });
      // Version 3: two updates, each with its history entry.
      const steps = [
        { previousProgress: 0, previousStatus: 'in_progress', progress: 20, status: 'in_progress' },
        {
          previousProgress: 20,
          previousStatus: 'in_progress',
          progress: value.progress,
          status: value.status,
        },
      ] as const;
      for (const step of steps) {
        const entry = goalUpdate.parse({
          id: newId('goalUpdate'),
          goalId: value.id,
          relationshipId: rel.id,
          ...step,
          authorId: members[0],
          createdAt: iso(start + day),
        });
        batch.push({
          ...keys.goalUpdate(tenantId, rel.id, value.id, entry.id),
          entity: 'goalUpdate',
          ...entry,
        });
      }
    }
    for (let f = 0; f < RATINGS_PER_RELATIONSHIP; f++) {
      const personId = members[f % 2]!;
      const value = feedback.parse({
        id: newId('feedback'),
        relationshipId: rel.id,
        meetingId: meetingIds[1 + Math.floor(f / 2)]!,
        personId,
        rating: 1 + ((r + f) % 5),
        shareCommentWithAdmins: false,
        createdAt: iso(start),
        updatedAt: iso(start),
        version: 1,
      });
      batch.push({
        ...keys.feedback(tenantId, rel.id, value.meetingId, personId),
        entity: 'feedback',
        ...value,
      });
    }
    await flush();
  }
  if (surveys) {
    batch.push(...surveyItems(tenantId, programId, peopleIds, start));
    await flush();
  }
  await flush(true);
}

/**
 * One survey and every participant's answers to it, as answerSurvey writes them (but for the
 * survey's tally, which the analytics do not read): each response
 * (listed per program and survey through GSI1), its instance answered, the survey's count.
 */
function surveyItems(tenantId: string, programId: string, peopleIds: string[], start: number) {
  const day = 86_400_000;
  const iso = (t: number) => new Date(t).toISOString();
  const value = survey.parse({
    id: newId('survey'),
    programId,
    title: 'Mentoring impact',
    questions: [
      {
        id: 'confidence',
        kind: 'likert',
        prompt: 'How confident are you giving feedback?',
        measures: 'giving-feedback',
      },
      { id: 'recommend', kind: 'nps', prompt: 'Would you recommend the program to a colleague?' },
      { id: 'why', kind: 'free_text', prompt: 'Why?', required: false },
    ],
    schedules: [
      { kind: 'pre_program', dueInDays: 7, expiresInDays: 14 },
      { kind: 'pulse', dueInDays: 7, expiresInDays: 14, everyDays: 30 },
      { kind: 'close_out', dueInDays: 7, expiresInDays: 14 },
    ],
    active: true,
    responses: RESPONSES,
    createdAt: iso(start - 30 * day),
    updatedAt: iso(start - 30 * day),
    version: 1,
  });
  const items: Record<string, unknown>[] = [
    { ...keys.survey(tenantId, programId, value.id), entity: 'survey', ...value },
  ];
  peopleIds.forEach((personId, i) => {
    ANSWERED.forEach((scheduleKind, k) => {
      const opened = start + (k * 30 - 7) * day;
      const submitted = iso(opened + 2 * day);
      const responseId = newId('surveyResponse');
      const instance = surveyInstance.parse({
        id: newId('surveyInstance'),
        programId,
        surveyId: value.id,
        scheduleKind,
        personId,
        status: 'answered',
        openedAt: iso(opened),
        dueAt: iso(opened + 7 * day),
        expiresAt: iso(opened + 14 * day),
        responseId,
        submittedAt: submitted,
        createdAt: iso(opened),
        updatedAt: submitted,
        version: 2,
      });
      const response = surveyResponse.parse({
        id: responseId,
        programId,
        surveyId: value.id,
        instanceId: instance.id,
        scheduleKind,
        personId,
        submittedAt: submitted,
        answers: [
          // Confidence grows over the program for most; the close-out pairs with the pre-program.
          { questionId: 'confidence', value: 1 + ((i + k) % 3) + (k === 4 ? i % 2 : 0) },
          { questionId: 'recommend', value: (i * 7 + k) % 11 },
          { questionId: 'why', value: `Answer ${k} of person ${i}` },
        ],
        createdAt: submitted,
        updatedAt: submitted,
        version: 1,
      });
      items.push(
        { ...keys.surveyInstance(tenantId, personId, instance.id), entity: 'surveyInstance', ...instance },
        {
          ...keys.surveyResponse(tenantId, response.id),
          GSI1PK: gsi1.surveyResponses(tenantId, programId),
          GSI1SK: `${response.surveyId}#${response.id}`,
          entity: 'surveyResponse',
          ...response,
        },
      );
    });
  });
  return items;
}

const stats = (values: number[], unit = 'ms') => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `min ${sorted[0]!.toFixed(2)} ${unit}, median ${median.toFixed(2)} ${unit}`;
};

/** The recomputes (asked over HTTP, run by a scheduled pass) and reads, through `npm start`'s runtime. */
/** One pass of the scheduled job over the tenant's due timers, now. */
async function scheduledPass(tenantId: string) {
  const clock = () => new Date();
  const store = tenantStore(
    { tenant: db, platform: db, sealer: benchSealer },
    tenantId,
    new CursorCodec(CURSOR_SECRET),
    clock,
  );
  const result = await runDueTimers({}, { tenantId, store, clock }, clock());
  if (result.failed) throw new Error(`${result.failed} timer(s) failed`);
}

async function overHttp(key: string, tenantId: string, programId: string) {
  const recomputes: number[] = [];
  const recomputeCpu: string[] = [];
  for (let i = 0; i < RECOMPUTES; i++) {
    // Each recompute alone: not while the runtime's stream readers catch up with the records the
    // previous recompute wrote.
    const waited = await untilDynamoQuiet();
    const threads = childThreadsCpuSeconds();
    // Asked for over HTTP, then run by a pass of the scheduled job for the tenant, as npm start's
    // scheduler would within the minute (its wait is not the rebuild's cost).
    const run = await measured(async () => {
      await http('POST', `/v1/programs/${programId}/analytics/recompute`, key);
      await scheduledPass(tenantId);
      const status = await http('GET', `/v1/programs/${programId}/analytics/recompute`, key);
      if (status.json.status !== 'completed') throw new Error('the recompute did not complete');
    });
    recomputes.push(run.seconds);
    recomputeCpu.push(
      `${run.seconds.toFixed(2)} s (${cpuLine(run)}: ${threadsLine(threads, childThreadsCpuSeconds())}; after ${waited.toFixed(0)} s for DynamoDB Local to go quiet)`,
    );
  }
  const [first, ...again] = recomputes;

  const whole: number[] = [];
  const byDepartment: number[] = [];
  await http('GET', `/v1/programs/${programId}/analytics`, key);
  for (let round = 0; round < READS; round++) {
    const read = await http('GET', `/v1/programs/${programId}/analytics`, key);
    if (read.json.enrollment.enrolled !== PARTICIPANTS) throw new Error('the analytics lost participants');
    if (read.json.surveys.nps.n !== RESPONSES) throw new Error('the analytics lost survey responses');
    whole.push(read.ms);
    const sliced = await http('GET', `/v1/programs/${programId}/analytics?by=department`, key);
    if (sliced.json.slices.length !== 6) throw new Error('the department slices are missing');
    byDepartment.push(sliced.ms);
  }
  console.log(`GET …/analytics                  ${stats(whole)} (target: median under 20 ms)`);
  console.log(`GET …/analytics?by=department    ${stats(byDepartment)} (target: median under 20 ms)`);
  console.log(
    `POST …/analytics/recompute       first ${first!.toFixed(2)} s (empty projection; target: under 30 s)`,
  );
  console.log(`  again, nothing changed          ${stats(again, 's')} (target: under 30 s)`);
  console.log(`  each run: ${recomputeCpu.join('; ')}`);
}

/** The projection's items of the program and of the organization (deleted for an empty projection). */
async function projectionKeys(tenantId: string, programId: string) {
  const out: { PK: string; SK: string }[] = [];
  for (const scope of [programId, 'organization']) {
    const pk = keys.analyticsSums(tenantId, scope, 'all').PK;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.doc.send(
        new QueryCommand({
          TableName: db.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'PK, SK',
          Limit: 1000,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...((page.Items ?? []) as { PK: string; SK: string }[]));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return out;
}

/**
 * The baseline's recompute (A) and this code's (B) in this process, on the same program: each once
 * on an empty projection, then interleaved on an unchanged one. Both must give the same counters.
 */
async function againstBaseline(dir: string, tenantId: string, programId: string) {
  const variant = async (root: string) => {
    const [app, store] = await Promise.all(
      ['app', 'store'].map((name) => import(`${root}/packages/${name}/src/index.ts`)),
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
    return () => app.recomputeAnalytics(ctx, programId) as Promise<unknown>;
  };
  const runs = { A: await variant(dir), B: await variant(process.cwd()) };
  const results: Record<string, unknown> = {};
  const line = (name: string, what: string, m: Awaited<ReturnType<typeof measured>>) =>
    console.log(`${name} ${what}: ${m.seconds.toFixed(2)} s (${cpuLine(m)})`);
  const once = async (name: 'A' | 'B', what: string) => {
    const waited = await untilDynamoQuiet();
    const threads = childThreadsCpuSeconds();
    const m = await measured(runs[name]);
    line(
      name,
      `${what}, after ${waited.toFixed(0)} s for DynamoDB Local to go quiet; DynamoDB Local's threads: ${threadsLine(threads, childThreadsCpuSeconds())}`,
      m,
    );
    if (results.first === undefined) results.first = m.result;
    else if (!isDeepStrictEqual(results.first, m.result)) throw new Error(`${name} gave other counters`);
    return m.seconds;
  };
  // A B B A B A: neither always runs first (the first run also warms up the code and DynamoDB
  // Local). Each variant's unchanged run reads the projection its own empty run wrote, as the
  // stored form of a record may differ between them.
  const byVariant: Record<'A' | 'B', { empty: number[]; unchanged: number[] }> = {
    A: { empty: [], unchanged: [] },
    B: { empty: [], unchanged: [] },
  };
  for (const name of ['A', 'B', 'B', 'A', 'B', 'A'] as const) {
    const items = await projectionKeys(tenantId, programId);
    await batchWriteAll(
      db,
      items.map((Key) => ({ DeleteRequest: { Key } })),
    );
    byVariant[name].empty.push(await once(name, `empty projection (${items.length} items deleted before)`));
    byVariant[name].unchanged.push(await once(name, 'unchanged program'));
  }
  for (const name of ['A', 'B'] as const)
    console.log(
      `${name} empty projection: ${stats(byVariant[name].empty, 's')}; unchanged program: ${stats(byVariant[name].unchanged, 's')}`,
    );
  console.log(`A is ${dir}, B this code`);
}

try {
  const { json: created } = await http('POST', '/v1/tenants', local.operatorKey, { name: 'Bench Org' });
  const tenantId = created.tenant.id as string;
  const key = created.adminKey.secret as string;
  const program = (await http('POST', '/v1/programs', key, { name: 'Peers', format: 'peer_pairs' })).json;
  // The tenant's and the program's events are read first, as they would be.
  await untilDynamoQuiet();
  const seeding = performance.now();
  await withoutStream(() => seed(tenantId, program.id));
  const relationships = PARTICIPANTS / 2;
  console.log(
    `${PARTICIPANTS} participants, ${relationships} relationships, ${relationships * MEETINGS_PER_RELATIONSHIP} meetings, ` +
      `${relationships * GOALS_PER_RELATIONSHIP} goals, ${relationships * RATINGS_PER_RELATIONSHIP} ratings, ` +
      `${RESPONSES} survey responses ` +
      `(seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`,
  );

  if (baselineDir) await againstBaseline(baselineDir, tenantId, program.id);
  else await overHttp(key, tenantId, program.id);
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await local.stop();
}
