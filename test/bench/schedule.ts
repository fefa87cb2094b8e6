/**
 * npm run bench:schedule [-- --quick]
 *
 * One pass of the scheduled job over a tenant whose 10,000 relationships all have their daily
 * health evaluation due: each evaluation scores the relationship (from its partition, or from the
 * basis its last evaluation stored when the partition's inputs mark says nothing changed) and
 * stores the evaluation, which carries the day's history entry and the moved timer (raising
 * at_risk and meeting.overdue where due; the first pass replaces the placeholder each relationship
 * starts with, which carries its first timer). Target: under 20 s a pass. Each
 * round moves the clock a day, so every timer is due again; min and median over the rounds are
 * printed, and per pass the requests it sent and where DynamoDB Local's CPU went (its database
 * thread, its HTTP threads, GC, JIT; see schedule-probe.ts). The relationships and what
 * lives in them (with the inputs mark their writes leave) are written straight into the table
 * (what is measured is the pass, not the seeding): each relationship and what its start writes in
 * its partition as the app's `startRelationship` builds them (not its members' seats and
 * memberships or its event, which the pass does not read). `--timer-items` seeds the relationships
 * as code before the placeholder started them instead, each with a timer item of its own that the
 * first pass takes over and removes (the relationships that exist when the placeholder deploys).
 * `--quick` uses a tenth of the size. `--warm-jvm` first runs two uncounted passes (a first and a
 * second) over a tenant of a tenth of the size, so that the counted first pass finds DynamoDB
 * Local's JVM past compiling its hot code (which it does once per process: once per `npm start`,
 * never in AWS) and measures the first evaluations alone.
 * `--changed <fraction>` writes a fresh inputs mark (as a meeting, goal, rating or agreement write
 * does) into that share of the relationships, picked at random, before each pass (not timed), so
 * that those evaluations read their partition again (0 unless given).
 *
 * `--baseline <dir>` compares with another checkout of Tandem (e.g. `git archive main | tar -x -C
 * <dir>`, with a `node_modules` whose `@tandem/*` links point into it): passes of its code and of
 * this one alternate (A B B A …, after one warm-up pass each that is not counted), each over its
 * own tenant seeded alike in the same table (an evaluation of one code would otherwise replace
 * what the other stores) and on the same day as the other's pass of its round, and min and median
 * are printed for each. The baseline's tenant starts its relationships as its code does: with the
 * placeholder if its store writes one, with timer items otherwise. `--rounds <n>` sets the number
 * of counted A B pairs (3 unless given).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createProgram, runDueTimers, startRelationship } from '@tandem/app';
import {
  feedback as feedbackSchema,
  goal as goalSchema,
  meeting as meetingSchema,
  newId,
  type Program,
} from '@tandem/core';
import { startDynamoDbLocal } from '@tandem/local';
import {
  batchWriteAll,
  CursorCodec,
  createDocumentClient,
  createDynamoClient,
  ensureTable,
  keys,
} from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { benchSealer } from './bench-sealer.ts';
import { descendantsCpuSeconds } from './cpu.ts';
import {
  countRequests,
  describeJvmGc,
  describeRequests,
  describeThreadCpu,
  jvmGc,
  nodeGc,
  threadCpu,
} from './schedule-probe.ts';

const quick = process.argv.includes('--quick');
const RELATIONSHIPS = quick ? 1_000 : 10_000;
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 3;
const baselineAt = process.argv.indexOf('--baseline');
const baselineDir = baselineAt > 0 ? process.argv[baselineAt + 1] : undefined;
const changedAt = process.argv.indexOf('--changed');
const CHANGED = changedAt > 0 ? Number(process.argv[changedAt + 1]) : 0;
const TIMER_ITEMS = process.argv.includes('--timer-items');
const WARM_JVM = process.argv.includes('--warm-jvm');
const DAY = 86_400_000;

const dynamo = await startDynamoDbLocal();
const client = createDynamoClient({ endpoint: dynamo.endpoint });
const db = { doc: createDocumentClient(client), tableName: 'tandem-bench-schedule' };
await ensureTable(client, db.tableName);
const requests = countRequests(client);
const gcOfNode = nodeGc();
const dynamoPid = dynamo.process.pid;

const start = Date.parse('2027-01-04T09:00:00Z');
let now = new Date(start);
const clock = () => now;
const cursors = new CursorCodec('bench-cursor-secret-0123456789');

/** How a tenant's relationships carry their first health timer (see the top of this file). */
type FirstTimer = 'placeholder' | 'timer item';

/** A tenant with the bench's program, its relationships seeded as `seed` says; their ids. */
async function benchTenant(firstTimer: FirstTimer, relationships = RELATIONSHIPS) {
  const tenantId = newId('tenant');
  const store = tenantStore({ tenant: db, platform: db, sealer: benchSealer }, tenantId, cursors, clock);
  const program = await createProgram({ tenantId, store, clock }, programSettings);
  const ids = await seed(tenantId, store, program, firstTimer, relationships);
  return { tenantId, store, ids };
}

const programSettings: Parameters<typeof createProgram>[1] = {
  name: 'Schedule bench',
  format: 'peer_pairs',
  objectives: [],
  endDate: '2027-12-31',
  meetingCadence: 'biweekly',
  selfEnrollment: false,
  capacity: { defaultMentorCapacity: 2 },
  matching: {
    weights: {},
    crossDepartmentOnly: false,
    excludeSameReportingLine: true,
    excludePreviousPartners: true,
    autoPublish: false,
  },
  relationships: { requireAgreement: false, milestoneTemplates: [] },
  health: { atRiskBelow: 50, overdueGraceDays: 7, weights: {} },
  analytics: { minimumSliceSize: 5, objectives: {} },
  anonymity: { mode: 'identified', k: 5 },
};

/** A fresh inputs mark, as every write of a health input leaves it. */
const inputsMark = (tenantId: string, relationshipId: string) => ({
  ...keys.healthInputs(tenantId, relationshipId),
  entity: 'healthInputs',
  mark: randomUUID(),
});

/**
 * Every relationship: two members, what its start writes in its partition (its first health timer,
 * on the placeholder of its evaluation or, as `firstTimer` says, a timer item), a held meeting or
 * two with a rating each, a goal, and the inputs mark their writes leave. Meetings, ratings and
 * goals hold what the app's use cases write (a meeting scheduled with a place and an agenda, then
 * logged with attendance, topics and shared notes: about twenty attributes), checked against their
 * schemas: what a full evaluation reads of a partition costs by the attributes of its items.
 */
async function seed(
  tenantId: string,
  store: ReturnType<typeof tenantStore>,
  program: Program,
  firstTimer: FirstTimer,
  relationships: number,
) {
  const at = new Date(start).toISOString();
  const items: Record<string, unknown>[] = [];
  const ids: string[] = [];
  for (let i = 0; i < relationships; i++) {
    const started = await startRelationship(
      { store },
      {
        id: newId('relationship'),
        programId: program.id,
        members: [
          { personId: newId('person'), role: 'peer' },
          { personId: newId('person'), role: 'peer' },
        ],
        limits: [],
        score: 0.5,
        explanation: { contributions: {}, reasons: [] },
        source: 'manual',
      },
      program,
      [],
      new Date(start),
    );
    const { value } = started;
    ids.push(value.id);
    items.push({ ...keys.relationship(tenantId, value.id), entity: 'relationship', ...value });
    for (const op of started.alsoWrite ?? []) {
      const item = op.item.Put!.Item as Record<string, unknown>;
      if (firstTimer === 'timer item' && item.entity === 'health')
        items.push(
          (
            await store.timers.setOp({
              kind: 'relationship.health',
              subjectId: value.id,
              dueAt: item.dueAt as string,
            })
          ).item.Put!.Item as Record<string, unknown>,
        );
      else items.push(item);
    }
    items.push(inputsMark(tenantId, value.id));
    // Some pairs keep meeting, some stopped after the first week: both kinds of evaluation are measured.
    const meetingDays = i % 4 === 0 ? [2] : [2, 16];
    const [member, partner] = value.members;
    for (const day of meetingDays) {
      const startsAt = new Date(start + day * DAY).toISOString();
      const loggedAt = new Date(start + day * DAY + 3_600_000).toISOString();
      // As a member schedules it and logs it held (scheduleMeeting, then logMeeting).
      const meeting = meetingSchema.parse({
        id: newId('meeting'),
        relationshipId: value.id,
        status: 'held',
        startsAt,
        timeZone: 'Europe/Amsterdam',
        durationMinutes: 45,
        location: 'Room 4.12',
        agenda: 'Review the first goal; plan the next two weeks',
        scheduledBy: member!.personId,
        attendance: [
          { personId: member!.personId, attended: true },
          { personId: partner!.personId, attended: true },
        ],
        topics: ['design reviews', 'stakeholders'],
        sharedNotes:
          'Walked through the last design review: what went well, where the discussion stalled, and how to ' +
          'prepare the stakeholders next time. Next: run the review of the onboarding flow alone.',
        loggedAt,
        createdAt: at,
        updatedAt: loggedAt,
        version: 2,
      });
      items.push({ ...keys.meeting(tenantId, value.id, meeting.id), entity: 'meeting', ...meeting });
      // As an attendee rates it (submitFeedback).
      const rating = feedbackSchema.parse({
        id: newId('feedback'),
        relationshipId: value.id,
        meetingId: meeting.id,
        personId: member!.personId,
        rating: 3 + (i % 3),
        comment: 'Useful: we agreed on a concrete next step.',
        pairingWorking: 'yes',
        shareCommentWithAdmins: false,
        createdAt: loggedAt,
        updatedAt: loggedAt,
        version: 1,
      });
      items.push({
        ...keys.feedback(tenantId, value.id, meeting.id, member!.personId),
        entity: 'feedback',
        ...rating,
      });
    }
    // As a member sets it with its progress so far (createGoal).
    const goal = goalSchema.parse({
      id: newId('goal'),
      relationshipId: value.id,
      title: 'Lead a design review',
      measure: 'Runs one review end to end without help',
      targetDate: '2027-06-30',
      skill: 'facilitation',
      ownerId: member!.personId,
      status: 'in_progress',
      progress: (i * 7) % 100,
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    items.push({ ...keys.goal(tenantId, value.id, goal.id), entity: 'goal', ...goal });
  }
  await batchWriteAll(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
  return ids;
}

const baseApp = baselineDir ? await import(`${baselineDir}/packages/app/src/index.ts`) : undefined;
const baseStore = baselineDir ? await import(`${baselineDir}/packages/store/src/index.ts`) : undefined;
const headStarts: FirstTimer = TIMER_ITEMS ? 'timer item' : 'placeholder';
const baseStarts: FirstTimer =
  typeof baseStore?.HealthRepository?.prototype?.placeholderOp === 'function' ? 'placeholder' : 'timer item';
const seeding = performance.now();
const head = await benchTenant(headStarts);
const base = baselineDir ? await benchTenant(baseStarts) : undefined;
const warm = WARM_JVM ? await benchTenant(headStarts, RELATIONSHIPS / 10) : undefined;
console.log(
  `seeded ${RELATIONSHIPS} relationships ${base ? 'in each of two tenants ' : ''}in ${((performance.now() - seeding) / 1000).toFixed(1)} s; first health timers: this code's on ${headStarts === 'placeholder' ? 'placeholders' : 'timer items'}${base ? `, the baseline's on ${baseStarts === 'placeholder' ? 'placeholders' : 'timer items'}` : ''}`,
);

/** Writes a fresh inputs mark into `CHANGED` of the tenant's relationships, picked at random. */
async function changeSome(tenant: { tenantId: string; ids: string[] }) {
  const changed = tenant.ids.filter(() => Math.random() < CHANGED);
  await batchWriteAll(
    db,
    changed.map((id) => ({ PutRequest: { Item: inputsMark(tenant.tenantId, id) } })),
  );
}

type RunDueTimers = typeof runDueTimers;
interface Variant {
  name: string;
  tenant: { tenantId: string; ids: string[] };
  run: (now: Date) => ReturnType<RunDueTimers>;
  times: number[];
}
const onError = (error: unknown) => console.error(error);
const variants: Variant[] = [
  {
    name: 'this code',
    tenant: head,
    run: (at) => runDueTimers({ onError }, { tenantId: head.tenantId, store: head.store, clock }, at),
    times: [],
  },
];
if (baselineDir && base) {
  const store = baseStore.tenantStore(
    { tenant: db, platform: db, sealer: benchSealer },
    base.tenantId,
    new baseStore.CursorCodec('bench-cursor-secret-0123456789'),
    clock,
  );
  const baseCtx = { tenantId: base.tenantId, store, clock };
  variants.unshift({
    name: `baseline ${baselineDir}`,
    tenant: base,
    run: (at) => (baseApp.runDueTimers as RunDueTimers)({ onError }, baseCtx, at),
    times: [],
  });
}

/**
 * One pass of the variant on the given day. The variants' passes of a round share their day: what
 * a pass raises depends on the day (a bulk of relationships crossing the threshold together raises
 * an event each, in a transaction), and their tenants, seeded alike, then raise the same.
 */
async function pass(variant: Variant, counted: boolean, day: number) {
  now = new Date(start + day * DAY);
  if (CHANGED > 0) await changeSome(variant.tenant);
  const gcBefore = jvmGc(dynamoPid);
  requests.take();
  gcOfNode.take();
  const threadsBefore = threadCpu(dynamoPid);
  const began = performance.now();
  const cpu = process.cpuUsage();
  const dynamoCpu = descendantsCpuSeconds();
  const result = await variant.run(now);
  const seconds = (performance.now() - began) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const threadsAfter = threadCpu(dynamoPid);
  const nodeGcMs = gcOfNode.take();
  const sent = requests.take();
  if (counted) variant.times.push(seconds);
  console.log(
    `${counted ? '' : 'warm-up '}pass (${variant.name}): ${result.handled} timers handled (${result.failed} failed) in ${seconds.toFixed(2)} s (CPU: this process ${((user + system) / 1e6).toFixed(1)} s, DynamoDB Local ${(descendantsCpuSeconds() - dynamoCpu).toFixed(1)} s), load ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(`  ${describeRequests(sent)}`);
  console.log(
    `  DynamoDB Local CPU by thread: ${describeThreadCpu(threadsBefore, threadsAfter)}; JVM GC: ${describeJvmGc(gcBefore, jvmGc(dynamoPid))}; Node GC ${(nodeGcMs / 1000).toFixed(1)} s`,
  );
  if (result.handled !== variant.tenant.ids.length || result.failed)
    throw new Error('the pass did not evaluate every relationship');
}

// The first pass writes every relationship's first evaluation; the ones after replace it. With a
// baseline, each variant has an uncounted pass first: DynamoDB Local (a JVM) and both variants'
// code warm up, which otherwise shows as each pass being faster than the one before.
const FIRST_DAY = 30;
if (warm) {
  const warming: Variant = {
    name: `JVM warm-up, ${warm.ids.length} relationships`,
    tenant: warm,
    run: (at) => runDueTimers({ onError }, { tenantId: warm.tenantId, store: warm.store, clock }, at),
    times: [],
  };
  for (const day of [FIRST_DAY, FIRST_DAY + 1]) await pass(warming, false, day);
}
if (variants.length > 1) for (const variant of [...variants].reverse()) await pass(variant, false, FIRST_DAY);
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? variants : [...variants].reverse();
  const day = FIRST_DAY + (variants.length > 1 ? 1 : 0) + round;
  for (const variant of order) await pass(variant, true, day);
}
for (const { name, times } of variants) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `one job pass over ${RELATIONSHIPS} relationships (${name}): min ${sorted[0]!.toFixed(2)} s, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} s (target < 20 s)`,
  );
}
if (variants.length > 1) {
  const [base, head] = variants.map(({ times }) => [...times].sort((a, b) => a - b));
  const ratio = (i: number) => (base![i]! / head![i]!).toFixed(2);
  console.log(`baseline / this code: min ${ratio(0)}×, median ${ratio(Math.floor(ROUNDS / 2))}×`);
  // Per round, each pair ran back to back, so its ratio is the least exposed to the load drifting.
  const [baseTimes, headTimes] = variants.map(({ times }) => times);
  const perRound = baseTimes!.map((t, i) => t / headTimes![i]!).sort((a, b) => a - b);
  console.log(
    `baseline / this code per round: ${perRound.map((r) => r.toFixed(2)).join(', ')} (median ${perRound[Math.floor(ROUNDS / 2)]!.toFixed(2)}×)`,
  );
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
await dynamo.stop();
