/**
 * npm run bench:analytics [-- --quick]
 *
 * Program analytics at scale, through `npm start`'s runtime over real HTTP: a program of 10,000
 * participants (and people) in 5,000 relationships with 200,000 meetings, 20,000 goals and 50,000
 * meeting ratings.
 *
 * - `GET /v1/programs/{id}/analytics` (and `?by=department`), interleaved: target median under 20 ms;
 * - `POST /v1/programs/{id}/analytics/recompute` (a full rebuild from the source items): under 30 s,
 *   the first one on an empty projection (every record written), the others on an unchanged
 *   program (every source read, nothing written).
 *
 * The source items are written straight into the table as the repositories write them (what is
 * measured is the reads and the rebuild, not the seeding); the recompute builds the counters the
 * reads then use. `--quick` uses a tenth of the size. Min and median are printed, and each
 * recompute's CPU seconds in this process and in DynamoDB Local.
 */
import { loadavg } from 'node:os';
import { enrollment, feedback, goal, meeting, newId, person, relationship } from '@tandem/core';
import { freePort, startLocal } from '@tandem/local';
import { batchWriteAll, createDocumentClient, createDynamoClient, type Db, keys } from '@tandem/store';
import { cpuLine, measured } from './cpu.ts';

const quick = process.argv.includes('--quick');
const scale = quick ? 10 : 1;
const PARTICIPANTS = 10_000 / scale;
const MEETINGS_PER_RELATIONSHIP = 40;
const GOALS_PER_RELATIONSHIP = 4;
const RATINGS_PER_RELATIONSHIP = 10;
const READS = quick ? 100 : 300;
const RECOMPUTES = 3;

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

const put = (items: Record<string, unknown>[]) =>
  batchWriteAll(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

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
    const meetingIds: string[] = [];
    for (let m = 0; m < MEETINGS_PER_RELATIONSHIP; m++) {
      const value = meeting.parse({
        id: newId('meeting'),
        relationshipId: rel.id,
        status: m % 8 === 0 ? 'cancelled' : 'held',
        startsAt: iso(start + m * 4 * day),
        timeZone: 'Europe/Berlin',
        durationMinutes: 45,
        createdAt: iso(start),
        updatedAt: iso(start),
        version: 2,
      });
      meetingIds.push(value.id);
      batch.push({ ...keys.meeting(tenantId, rel.id, value.id), entity: 'meeting', ...value });
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
  await flush(true);
}

const stats = (values: number[], unit = 'ms') => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `min ${sorted[0]!.toFixed(2)} ${unit}, median ${median.toFixed(2)} ${unit}`;
};

try {
  const { json: created } = await http('POST', '/v1/tenants', local.operatorKey, { name: 'Bench Org' });
  const tenantId = created.tenant.id as string;
  const key = created.adminKey.secret as string;
  const program = (await http('POST', '/v1/programs', key, { name: 'Peers', format: 'peer_pairs' })).json;
  const seeding = performance.now();
  await seed(tenantId, program.id);
  const relationships = PARTICIPANTS / 2;
  console.log(
    `${PARTICIPANTS} participants, ${relationships} relationships, ${relationships * MEETINGS_PER_RELATIONSHIP} meetings, ` +
      `${relationships * GOALS_PER_RELATIONSHIP} goals, ${relationships * RATINGS_PER_RELATIONSHIP} ratings ` +
      `(seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`,
  );

  const recomputes: number[] = [];
  const recomputeCpu: string[] = [];
  for (let i = 0; i < RECOMPUTES; i++) {
    const run = await measured(() => http('POST', `/v1/programs/${program.id}/analytics/recompute`, key));
    recomputes.push(run.seconds);
    recomputeCpu.push(`${run.seconds.toFixed(2)} s (${cpuLine(run)})`);
  }
  const [first, ...again] = recomputes;

  const whole: number[] = [];
  const byDepartment: number[] = [];
  await http('GET', `/v1/programs/${program.id}/analytics`, key);
  for (let round = 0; round < READS; round++) {
    const read = await http('GET', `/v1/programs/${program.id}/analytics`, key);
    if (read.json.enrollment.enrolled !== PARTICIPANTS) throw new Error('the analytics lost participants');
    whole.push(read.ms);
    const sliced = await http('GET', `/v1/programs/${program.id}/analytics?by=department`, key);
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
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await local.stop();
}
