/**
 * npm run bench:participants [-- --quick]
 *
 * A participant's two everyday reads, through `npm start`'s runtime over real HTTP with a real
 * OIDC token (an issuer with a JWKS on 127.0.0.1), in a tenant holding 10,000 relationships:
 *
 * - `GET /v1/me`: the person, their enrollments and their ongoing relationships;
 * - `GET /v1/relationships/{id}/workspace`: the agreement, goals, milestones and next meetings.
 *
 * Target: median under 15 ms each. The two are interleaved request by request; min, median and
 * p99 are printed. The tenant's other relationships are written straight into the table (what is
 * measured is the reads, not the seeding); the measured relationship's agreement, goals and
 * meetings are written through the API by its members. `--quick` uses a tenth of the size.
 */
import { newId, relationship } from '@tandem/core';
import { freePort, startLocal } from '@tandem/local';
import { batchWriteAll, createDocumentClient, createDynamoClient, type Db, keys } from '@tandem/store';
import { testIssuer } from '../support/issuer.ts';

const quick = process.argv.includes('--quick');
const RELATIONSHIPS = quick ? 1_000 : 10_000;
const ROUNDS = quick ? 100 : 400;

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

/** Relationships of other people, written as the repository writes them: the item and one entry per member. */
async function seedRelationships(tenantId: string, programId: string, count: number) {
  const at = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const value = relationship.parse({
      id: newId('relationship'),
      programId,
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
    for (const member of value.members)
      items.push({
        ...keys.membership(tenantId, member.personId, value.id),
        entity: 'membership',
        relationshipId: value.id,
        programId,
        role: member.role,
      });
  }
  await batchWriteAll(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `min ${sorted[0]!.toFixed(2)} ms, median ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms`;
};

try {
  const issuer = await testIssuer();
  const { json: created } = await http('POST', '/v1/tenants', local.operatorKey, { name: 'Bench Org' });
  const tenantId = created.tenant.id as string;
  const key = created.adminKey.secret as string;
  await http('POST', '/v1/identity-providers', key, {
    issuer: issuer.issuer,
    jwksUri: issuer.jwksUri,
    audience: 'tandem-bench',
    personClaim: 'email',
  });
  const program = (await http('POST', '/v1/programs', key, { name: 'Peers', format: 'peer_pairs' })).json;
  const people = [];
  for (const name of ['ada', 'ben']) {
    const person = (
      await http('POST', '/v1/people', key, { name, email: `${name}@bench.example`, department: name })
    ).json;
    await http('POST', `/v1/programs/${program.id}/enrollments`, key, { personId: person.id, role: 'peer' });
    people.push(person);
  }
  const token = (email: string) =>
    issuer.sign({ aud: 'tandem-bench', sub: email, email, exp: Math.floor(Date.now() / 1000) + 3600 });
  const [ada, ben] = [await token('ada@bench.example'), await token('ben@bench.example')];

  const seeding = performance.now();
  await seedRelationships(tenantId, program.id, RELATIONSHIPS - 1);
  const { json: ours } = await http('POST', '/v1/relationships', key, {
    programId: program.id,
    personIds: people.map((p) => p.id),
  });
  const rel = `/v1/relationships/${ours.id}`;
  await http('PUT', `${rel}/agreement`, ada, {
    sharedGoals: ['Ship a design doc'],
    cadence: { every: 2, unit: 'weeks', durationMinutes: 45 },
  });
  await http('POST', `${rel}/agreement/accept`, ada, { version: 1 });
  for (let i = 0; i < 5; i++)
    await http('POST', `${rel}/goals`, ben, { title: `Goal ${i + 1}`, progress: i * 20 });
  for (let i = 0; i < 8; i++)
    await http('POST', `${rel}/meetings`, ada, {
      startsAt: new Date(Date.now() + (i + 1) * 14 * 86_400_000).toISOString(),
      timeZone: 'Europe/Berlin',
      durationMinutes: 45,
    });
  console.log(
    `${RELATIONSHIPS} relationships in the tenant (seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`,
  );

  // Warm the JWKS and the principal cache, then interleave the two reads.
  await http('GET', '/v1/me', ada);
  const me: number[] = [];
  const workspace: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const mine = await http('GET', '/v1/me', ada);
    if (mine.json.relationships.length !== 1) throw new Error('GET /v1/me lost the relationship');
    me.push(mine.ms);
    const view = await http('GET', `${rel}/workspace`, ben);
    if (view.json.goals.length !== 5 || view.json.upcomingMeetings.length !== 5)
      throw new Error('the workspace is incomplete');
    workspace.push(view.ms);
  }
  console.log(`GET /v1/me                              ${stats(me)} (target: median under 15 ms)`);
  console.log(`GET /v1/relationships/{id}/workspace    ${stats(workspace)} (target: median under 15 ms)`);
  await issuer.close();
} finally {
  await local.stop();
}
