/**
 * npm run bench:schedule [-- --quick]
 *
 * One pass of the scheduled job over a tenant whose 10,000 relationships all have their daily
 * health evaluation due: each pass reads every relationship's program, agreement, meetings, goals
 * and feedback, scores it, and stores the score, the day's history entry and the moved timer in one
 * transaction (raising at_risk and meeting.overdue where due). Target: under 20 s a pass. Each
 * round moves the clock a day, so every timer is due again; min and median over the rounds are
 * printed. The relationships and what lives in them are written straight into the table (what is
 * measured is the pass, not the seeding). `--quick` uses a tenth of the size.
 */
import { createProgram, runDueTimers } from '@tandem/app';
import { newId, relationship } from '@tandem/core';
import { freePort, startDynamoDbLocal } from '@tandem/local';
import {
  batchWriteAll,
  CursorCodec,
  createDocumentClient,
  createDynamoClient,
  ensureTable,
  gsi1,
  keys,
  tenantStore,
} from '@tandem/store';

const quick = process.argv.includes('--quick');
const RELATIONSHIPS = quick ? 1_000 : 10_000;
const ROUNDS = 3;
const DAY = 86_400_000;

const dynamo = await startDynamoDbLocal({ port: await freePort() });
const client = createDynamoClient({ endpoint: dynamo.endpoint });
const db = { doc: createDocumentClient(client), tableName: 'tandem-bench-schedule' };
await ensureTable(client, db.tableName);

const start = Date.parse('2027-01-04T09:00:00Z');
let now = new Date(start);
const clock = () => now;
const tenantId = newId('tenant');
const store = tenantStore(
  { tenant: db, platform: db },
  tenantId,
  new CursorCodec('bench-cursor-secret-0123456789'),
  clock,
);
const ctx = { tenantId, store, clock };

const program = await createProgram(ctx, {
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
});

/** Every relationship: two members, a held meeting or two, a goal, a rating, and its health timer. */
async function seed() {
  const at = new Date(start).toISOString();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < RELATIONSHIPS; i++) {
    const value = relationship.parse({
      id: newId('relationship'),
      programId: program.id,
      members: [
        { personId: newId('person'), role: 'peer' },
        { personId: newId('person'), role: 'peer' },
      ],
      score: 0.5,
      explanation: { contributions: {}, reasons: [] },
      status: 'active',
      source: 'manual',
      milestones: [],
      startedAt: at,
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    items.push({ ...keys.relationship(tenantId, value.id), entity: 'relationship', ...value });
    // Some pairs keep meeting, some stopped after the first week: both kinds of evaluation are measured.
    const meetingDays = i % 4 === 0 ? [2] : [2, 16];
    for (const day of meetingDays) {
      const meeting = {
        id: newId('meeting'),
        relationshipId: value.id,
        status: 'held',
        startsAt: new Date(start + day * DAY).toISOString(),
        timeZone: 'UTC',
        durationMinutes: 45,
        createdAt: at,
        updatedAt: at,
        version: 2,
      };
      items.push({
        ...keys.meeting(tenantId, value.id, meeting.id),
        GSI1PK: gsi1.meetingsOfProgram(tenantId, value.programId, value.id),
        GSI1SK: `${value.id}#${meeting.id}`,
        entity: 'meeting',
        ...meeting,
      });
      const [member] = value.members;
      items.push({
        ...keys.feedback(tenantId, value.id, meeting.id, member!.personId),
        entity: 'feedback',
        id: newId('feedback'),
        relationshipId: value.id,
        meetingId: meeting.id,
        personId: member!.personId,
        rating: 3 + (i % 3),
        shareCommentWithAdmins: false,
        createdAt: meeting.startsAt,
        updatedAt: meeting.startsAt,
        version: 1,
      });
    }
    const goalId = newId('goal');
    items.push({
      ...keys.goal(tenantId, value.id, goalId),
      entity: 'goal',
      id: goalId,
      relationshipId: value.id,
      title: 'Lead a design review',
      status: 'in_progress',
      progress: (i * 7) % 100,
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    const timer = store.timers.setOp({
      kind: 'relationship.health',
      subjectId: value.id,
      dueAt: new Date(start + DAY).toISOString(),
    });
    items.push(timer.item.Put!.Item as Record<string, unknown>);
  }
  await batchWriteAll(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
}

const seeding = performance.now();
await seed();
console.log(
  `seeded ${RELATIONSHIPS} relationships in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
);

const times: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  now = new Date(start + (30 + round) * DAY);
  const began = performance.now();
  const result = await runDueTimers({ onError: (error) => console.error(error) }, ctx, now);
  const seconds = (performance.now() - began) / 1000;
  times.push(seconds);
  console.log(
    `pass ${round + 1}: ${result.handled} timers handled (${result.failed} failed) in ${seconds.toFixed(2)} s`,
  );
  if (result.handled !== RELATIONSHIPS || result.failed)
    throw new Error('the pass did not evaluate every relationship');
}
const sorted = [...times].sort((a, b) => a - b);
console.log(
  `one job pass over ${RELATIONSHIPS} relationships: min ${sorted[0]!.toFixed(2)} s, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} s (target < 20 s)`,
);
await dynamo.stop();
