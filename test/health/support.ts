import { expect } from 'vitest';
import { call, newTenant, type testApp, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

type App = ReturnType<typeof testApp>;

export const DAY = 86_400_000;

/** A clock the test moves by hand; the app and the scheduled job read it. */
export function manualClock(start: string) {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    set: (days: number) => {
      now = Date.parse(start) + days * DAY;
    },
    at: (days: number) => new Date(Date.parse(start) + days * DAY).toISOString(),
  };
}

export interface Pair {
  relationshipId: string;
  members: { personId: string; token: string }[];
}

/**
 * A tenant with a peer program (its settings as given) and `pairs` relationships matched by hand,
 * each member with a participant token.
 */
export async function pairsProgram(app: App, pairs: number, program: Record<string, unknown> = {}) {
  const tenant = await newTenant(app, 'Health');
  const { key } = tenant;
  const post = async (path: string, body: unknown) => {
    const res = await call(app, 'POST', path, { key, body });
    expect(res.status, `${path}: ${res.text}`).toBeLessThan(300);
    return res.json.id as string;
  };
  const programId = await post('/v1/programs', { name: 'Peers', format: 'peer_pairs', ...program });
  const result: Pair[] = [];
  for (let p = 0; p < pairs; p++) {
    const members = [];
    for (const name of ['A', 'B']) {
      const personId = await post('/v1/people', { name: `${name}${p}`, email: uniqueEmail(name) });
      await post(`/v1/programs/${programId}/enrollments`, { personId, role: 'peer' });
      members.push({ personId, token: await participantToken(app, tenant, personId) });
    }
    const relationshipId = await post('/v1/relationships', {
      programId,
      personIds: members.map((m) => m.personId),
    });
    result.push({ relationshipId, members });
  }
  return { tenant, key, programId, pairs: result };
}

/** A meeting at `startsAt` (in the clock's past), logged held by both members. */
export async function meet(app: App, pair: Pair, startsAt: string) {
  const [a, b] = pair.members as [Pair['members'][0], Pair['members'][0]];
  const path = `/v1/relationships/${pair.relationshipId}/meetings`;
  const scheduled = await call(app, 'POST', path, {
    key: a.token,
    body: { startsAt, timeZone: 'UTC', durationMinutes: 45 },
  });
  expect(scheduled.status, scheduled.text).toBe(201);
  const logged = await call(app, 'POST', `${path}/${scheduled.json.id}/log`, {
    key: a.token,
    body: {
      outcome: 'held',
      attendance: [
        { personId: a.personId, attended: true },
        { personId: b.personId, attended: true },
      ],
    },
  });
  expect(logged.status, logged.text).toBe(200);
  return scheduled.json.id as string;
}

/** The tenant's events of one type, oldest first. */
export async function eventsOf(app: App, key: string, type: string) {
  const res = await call(app, 'GET', `/v1/events?type=${type}&limit=100`, { key });
  expect(res.status).toBe(200);
  return res.json.items as { type: string; data: Record<string, any> }[];
}
