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
