/**
 * npm run bench:audit [-- --rounds 400]
 *
 * What the audit log adds to a write: the same person update (one conditional Update and its
 * outbox event in one TransactWriteItems), with and without an audit context, so that the audited
 * arm also builds the entry (field diff, redaction) and writes it in the same transaction. Arms
 * run interleaved, alternating which goes first, on one DynamoDB Local; each updates a person of
 * its own, so neither waits on the other's item.
 */
import { createPerson } from '@tandem/app';
import { domainEvent, newId, type Person } from '@tandem/core';
import { withAudit } from '@tandem/store';
import { benchTenant } from './bench-tenant.ts';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 400;
const WARMUP = 50;

const { dynamo, store, ctx } = await benchTenant('tandem-bench-audit');
const audit = {
  actor: { kind: 'api_key' as const, id: newId('apiKey') },
  operation: 'updatePerson',
  route: 'PATCH /v1/people/{personId}',
  requestId: 'bench',
  sourceIp: '127.0.0.1',
};

const newPerson = (name: string) =>
  createPerson(ctx, {
    name,
    email: `${name.toLowerCase()}@example.com`,
    department: 'Engineering',
    title: 'Engineer',
    timezone: 'Europe/Berlin',
    languages: ['en'],
    skillsOffered: [],
    skillsWanted: [],
    careerGoals: [],
    interests: [],
    background: {},
    externalIds: {},
    status: 'active',
  } as Parameters<typeof createPerson>[1]);

const arms: Record<'off' | 'on', { person: Person; samples: number[] }> = {
  off: { person: await newPerson('Plain'), samples: [] },
  on: { person: await newPerson('Audited'), samples: [] },
};

async function write(arm: 'off' | 'on', round: number) {
  const state = arms[arm];
  const next = { ...state.person, title: `Engineer ${round}`, version: state.person.version + 1 };
  const update = () =>
    store.people.update(state.person, next, [], domainEvent('person.updated', eventData(next)));
  const started = performance.now();
  await (arm === 'on' ? withAudit(audit, update) : update());
  const elapsed = performance.now() - started;
  state.person = next;
  return elapsed;
}

const eventData = (p: Person) => ({
  personId: p.id,
  email: p.email,
  department: p.department,
  status: p.status,
  changed: ['title'],
});

for (let round = 0; round < WARMUP + rounds; round++) {
  const order: ('off' | 'on')[] = round % 2 ? ['on', 'off'] : ['off', 'on'];
  for (const arm of order) {
    const elapsed = await write(arm, round);
    if (round >= WARMUP) arms[arm].samples.push(elapsed);
  }
}

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
};
const off = stats(arms.off.samples);
const on = stats(arms.on.samples);
console.log(`person update, ${rounds} rounds interleaved (after ${WARMUP} warm-up), DynamoDB Local`);
console.log(`  audit off   min ${off.min.toFixed(2)} ms   median ${off.median.toFixed(2)} ms`);
console.log(`  audit on    min ${on.min.toFixed(2)} ms   median ${on.median.toFixed(2)} ms`);
console.log(`  added       median ${(on.median - off.median).toFixed(2)} ms (target: under 2 ms)`);
await dynamo.stop();
