import { expect } from 'vitest';
import { call, newTenant, type testApp, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

type App = ReturnType<typeof testApp>;

export interface Workspace {
  key: string;
  tenantId: string;
  programId: string;
  relationshipId: string;
  members: string[];
  tokens: string[];
  /** A person of the same tenant with a relationship of their own, not a member of this one. */
  outsider: { personId: string; token: string; relationshipId: string };
}

/**
 * A tenant with a program (its relationship settings as given), a relationship of `size` members
 * matched by hand, the members' participant tokens, and an outsider in a relationship of their own.
 */
export async function workspace(
  app: App,
  options: { size?: number; relationships?: Record<string, unknown> } = {},
): Promise<Workspace> {
  const size = options.size ?? 2;
  const tenant = await newTenant(app);
  const { key } = tenant;
  const post = async (path: string, body: unknown) => {
    const res = await call(app, 'POST', path, { key, body });
    expect(res.status, `${path}: ${res.text}`).toBeLessThan(300);
    return res.json;
  };
  const program = await post('/v1/programs', {
    name: 'Workspace',
    format: size > 2 ? 'circles' : 'peer_pairs',
    ...(options.relationships ? { relationships: options.relationships } : {}),
  });
  const people: string[] = [];
  for (let i = 0; i < size + 2; i++) {
    const person = await post('/v1/people', {
      name: `Member ${i}`,
      email: uniqueEmail(),
      department: `D${i}`,
    });
    await post(`/v1/programs/${program.id}/enrollments`, { personId: person.id, role: 'peer' });
    people.push(person.id);
  }
  const members = people.slice(0, size);
  const relationship = await post('/v1/relationships', { programId: program.id, personIds: members });
  const others = await post('/v1/relationships', { programId: program.id, personIds: people.slice(size) });
  return {
    key,
    tenantId: tenant.tenantId,
    programId: program.id,
    relationshipId: relationship.id,
    members,
    tokens: await Promise.all(members.map((id) => participantToken(app, tenant, id))),
    outsider: {
      personId: people[size]!,
      token: await participantToken(app, tenant, people[size]!),
      relationshipId: others.id,
    },
  };
}

/** The tenant's events of one type, oldest first. */
export async function eventsOf(app: App, key: string, type: string) {
  const res = await call(app, 'GET', `/v1/events?type=${type}&limit=100`, { key });
  expect(res.status).toBe(200);
  return res.json.items as { type: string; data: Record<string, any> }[];
}

export interface Member {
  personId: string;
  token: string;
}

/**
 * A tenant with two relationships of one peer program: Ada and Ben in one, Cy and Di in the other,
 * each person holding their own participant token.
 */
export async function twoPairs(app: App) {
  const tenant = await newTenant(app, 'Workspace');
  const { key } = tenant;
  const post = async (path: string, body: unknown) => {
    const res = await call(app, 'POST', path, { key, body });
    if (res.status >= 300) throw new Error(`fixture ${path}: ${res.status} ${res.text}`);
    return res.json.id as string;
  };
  const programId = await post('/v1/programs', { name: 'Peers', format: 'peer_pairs' });
  const people: Member[] = [];
  for (const name of ['Ada', 'Ben', 'Cy', 'Di']) {
    const personId = await post('/v1/people', { name, email: uniqueEmail(name) });
    await post(`/v1/programs/${programId}/enrollments`, { personId, role: 'peer' });
    people.push({ personId, token: await participantToken(app, tenant, personId) });
  }
  const [ada, ben, cy, di] = people as [Member, Member, Member, Member];
  const ours = await post('/v1/relationships', { programId, personIds: [ada.personId, ben.personId] });
  const theirs = await post('/v1/relationships', { programId, personIds: [cy.personId, di.personId] });
  return { tenant, key, programId, ada, ben, cy, di, ours, theirs };
}

/** ISO instant `days` from now (negative: in the past). */
export const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export async function schedule(
  app: App,
  token: string,
  relationshipId: string,
  body: Record<string, unknown> = {},
) {
  const res = await call(app, 'POST', `/v1/relationships/${relationshipId}/meetings`, {
    key: token,
    body: { startsAt: daysFromNow(-1), timeZone: 'Europe/Berlin', durationMinutes: 45, ...body },
  });
  if (res.status !== 201) throw new Error(`schedule: ${res.status} ${res.text}`);
  return res.json;
}

/** Schedules a meeting that started yesterday and logs it held by both members. */
export async function heldMeeting(app: App, a: Member, b: Member, relationshipId: string) {
  const meeting = await schedule(app, a.token, relationshipId);
  const res = await call(app, 'POST', `/v1/relationships/${relationshipId}/meetings/${meeting.id}/log`, {
    key: a.token,
    body: {
      outcome: 'held',
      attendance: [
        { personId: a.personId, attended: true },
        { personId: b.personId, attended: true },
      ],
    },
  });
  if (res.status !== 200) throw new Error(`log: ${res.status} ${res.text}`);
  return res.json;
}
