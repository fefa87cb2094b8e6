import { expect } from 'vitest';
import { call, newTenant, type testApp, uniqueEmail } from './app.ts';
import { eventually } from './eventually.ts';
import { participantToken } from './participants.ts';
import { receiver } from './webhooks.ts';

type App = ReturnType<typeof testApp>;
type Schema = Record<string, any>;

/** One operation of the generated OpenAPI document. */
export interface Operation {
  method: string;
  template: string;
  bodySchema: Schema | undefined;
  /** `GET /v1/people/{personId}`: stable while operationIds are still being added. */
  label: string;
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** The document the app serves, so routes added later are covered without touching the tests. */
export async function openApiDocument(app: App) {
  return (await call(app, 'GET', '/openapi.json')).json as {
    paths: Record<string, Record<string, any>>;
    components: { schemas: Record<string, Schema> };
  };
}

/**
 * Every operation a tenant key calls: everything but the operator's tenant directory and the
 * operations that take no credentials (`security: []`, a calendar feed whose token is in its path).
 */
export function tenantOperations(doc: Awaited<ReturnType<typeof openApiDocument>>): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    if (template.startsWith('/v1/tenants')) continue;
    for (const [method, op] of Object.entries<any>(item)) {
      if (op.security?.length === 0) continue;
      operations.push({
        method: method.toUpperCase(),
        template,
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        label: `${method.toUpperCase()} ${template}`,
      });
    }
  }
  return operations;
}

export const takesAnId = (op: Operation) => /\{\w+\}/.test(op.template);
/** A participant's own routes (`/v1/me…`): every API key is refused there (403) before any lookup. */
export const participantOnly = (op: Operation) => /^\/v1\/me(\/|$)/.test(op.template);
export const isWrite = (op: Operation) => WRITES.has(op.method);

/** The path with each `{name}` replaced by `ids[name]`. */
export function pathFor(op: Operation, ids: Record<string, string>): string {
  return op.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (!id)
      throw new Error(
        `${op.label}: the fixture has no real id for {${name}}; add one to tenantWithEverything`,
      );
    return id;
  });
}

/**
 * Bodies for operations whose rules reach past their JSON Schema (a cross-field refinement), keyed by
 * method and path template; every other operation gets `minimalBody`.
 */
const EXAMPLE_BODIES: Record<string, unknown> = {
  'POST /v1/programs/{programId}/match-runs/{runId}/decisions': { approve: 'all' },
  'POST /v1/programs/{programId}/posts': { title: 'Shared', text: 'A post needs text or a link' },
};

/** A body the operation accepts: the example above, or the smallest one its schema allows. */
export function bodyFor(op: Operation, components: Record<string, Schema>, ids: Record<string, string>) {
  if (op.label in EXAMPLE_BODIES) return structuredClone(EXAMPLE_BODIES[op.label]);
  return op.bodySchema ? minimalBody(op.bodySchema, components, ids) : undefined;
}

/**
 * The smallest body the schema accepts: required members only, each from its example, enum or
 * format, and ids from `ids` where a pattern names their prefix (`^per_…` → a real person), so a
 * handler gets past validation to the lookup the test is about.
 */
function minimalBody(schema: Schema, components: Record<string, Schema>, ids: Record<string, string>) {
  const byPrefix = new Map(Object.values(ids).map((id) => [id.slice(0, id.indexOf('_') + 1), id]));
  const resolve = (s: Schema): Schema =>
    s.$ref ? resolve(components[s.$ref.replace('#/components/schemas/', '')]!) : s;
  function value(input: Schema): unknown {
    const s = resolve(input);
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum[0];
    if (s.example !== undefined && !s.pattern) return s.example;
    if (s.default !== undefined) return s.default;
    const variants = s.anyOf ?? s.oneOf ?? s.allOf;
    if (variants) return value(variants[0]);
    const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
    switch (type) {
      case 'object':
        return Object.fromEntries(
          (s.required ?? []).map((name: string) => [name, value(s.properties?.[name] ?? {})]),
        );
      case 'array': {
        const item = value(s.items ?? {});
        return Array.from({ length: s.minItems ?? 0 }, () => item);
      }
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return false;
      case 'string': {
        if (s.pattern) {
          const prefix = /^\^(\w+_)/.exec(s.pattern)?.[1];
          const id = prefix && byPrefix.get(prefix);
          if (id) return id;
          if (s.example !== undefined) return s.example;
        }
        if (s.format === 'email') return uniqueEmail();
        if (s.format === 'date-time') return new Date().toISOString();
        if (s.format === 'date') return '2027-01-15';
        if (s.format === 'uri') return 'https://hooks.example.com/tandem';
        return 'x'.repeat(Math.max(s.minLength ?? 1, 1));
      }
      default:
        return {};
    }
  }
  return value(schema);
}

/**
 * A tenant holding one of everything a path can name: person, program, enrollment, a dry run
 * awaiting review, a relationship with an agreement, a goal (and its milestones), a meeting and a
 * member's rematch request, a training module, a program post with a reply, a spare read key, a
 * webhook endpoint, a delivery and a recovery. Keys of
 * awaiting review, a relationship, a spare read key, a webhook endpoint, a delivery, a recovery and an
 * identity provider. Keys of
 * the returned ids are the path parameter names.
 */
export async function tenantWithEverything(app: App, name: string) {
  const tenant = await newTenant(app, name);
  const { key } = tenant;
  const post = async (path: string, body?: unknown) => {
    const res = await call(app, 'POST', path, { key, body });
    if (res.status >= 300) throw new Error(`fixture ${path}: ${res.status} ${res.text}`);
    return res.json.id as string;
  };
  const people: string[] = [];
  for (const who of ['Ada', 'Ben', 'Cy', 'Di'])
    people.push(await post('/v1/people', { name: `${name} ${who}`, email: uniqueEmail(who) }));
  const programId = await post('/v1/programs', { name: `${name} program`, format: 'peer_pairs' });
  const surveyId = await post(`/v1/programs/${programId}/surveys`, {
    title: `${name} baseline`,
    questions: [{ id: 'confidence', kind: 'likert', prompt: 'How confident are you?' }],
    schedules: [{ kind: 'pre_program' }],
  });
  const enrollments: string[] = [];
  for (const personId of people)
    enrollments.push(await post(`/v1/programs/${programId}/enrollments`, { personId, role: 'peer' }));
  const runId = await post(`/v1/programs/${programId}/match-runs`, { dryRun: true });
  await eventually(async () => {
    const run = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${runId}`, { key });
    // A failed run says why (its step and cause), which the status alone would hide.
    expect(run.json.status, JSON.stringify(run.json.failure)).toBe('awaiting_review');
  }, 60_000);
  const relationshipId = await post('/v1/relationships', { programId, personIds: [people[0], people[1]] });
  const surveys = await call(app, 'GET', '/v1/me/surveys', {
    key: await participantToken(app, tenant, people[0]!),
  });
  const instanceId = surveys.json.items?.[0]?.id;
  if (!instanceId) throw new Error(`fixture survey instance: ${surveys.status} ${surveys.text}`);
  const resourceId = await post('/v1/resources', {
    kind: 'article',
    title: `${name} module`,
    body: 'Listen first.',
    trainingModule: true,
  });
  const postId = await post(`/v1/programs/${programId}/posts`, { title: `${name} post`, text: 'Hello' });
  const replyId = await post(`/v1/programs/${programId}/posts/${postId}/replies`, { text: 'Hi' });
  const rematch = await call(app, 'POST', `/v1/relationships/${relationshipId}/rematch-requests`, {
    key: await participantToken(app, tenant, people[0]!),
    body: { reason: 'mismatch' },
  });
  if (rematch.status !== 201) throw new Error(`fixture rematch request: ${rematch.status} ${rematch.text}`);
  const goalId = await post(`/v1/relationships/${relationshipId}/goals`, { title: `${name} goal` });
  // Agreements are the members' own: a member drafts it.
  const drafted = await call(app, 'PUT', `/v1/relationships/${relationshipId}/agreement`, {
    key: await participantToken(app, tenant, people[0]!),
    body: { sharedGoals: [`${name} goal`] },
  });
  if (drafted.status !== 201) throw new Error(`fixture agreement: ${drafted.status} ${drafted.text}`);
  const meetingId = await post(`/v1/relationships/${relationshipId}/meetings`, {
    startsAt: new Date().toISOString(),
    timeZone: 'Europe/Berlin',
    durationMinutes: 45,
  });
  const keyId = await post('/v1/api-keys', { name: `${name} spare`, scopes: ['read'] });
  const hooks = await receiver();
  const endpointId = await post('/v1/webhook-endpoints', { url: hooks.url });
  const deliveryId = await post(`/v1/webhook-endpoints/${endpointId}/test`);
  const recoveryId = await post(`/v1/webhook-endpoints/${endpointId}/recover`, {
    since: new Date().toISOString(),
  });
  const providerId = await post('/v1/identity-providers', {
    issuer: 'https://idp.example.com/oauth2/default',
    audience: `api://tandem/${name}`,
  });
  const kudosId = await post('/v1/kudos', {
    senderId: people[0],
    recipientId: people[1],
    message: `${name} thanks`,
    visibility: 'recipient',
  });
  const ruleId = await post(`/v1/programs/${programId}/milestone-rules`, {
    kind: 'first_meeting_held',
    name: `${name} first meeting`,
  });
  const hris = await call(app, 'POST', '/v1/hris-connections', { key, body: { provider: 'standard' } });
  if (hris.status !== 201) throw new Error(`fixture /v1/hris-connections: ${hris.status} ${hris.text}`);
  const awardTypeId = await post('/v1/award-types', {
    name: `${name} award`,
    criteria: 'Helped',
    requiresApproval: false,
  });
  const nominationId = await post('/v1/nominations', { personId: people[1], awardTypeId, reason: 'Helped' });
  const awardId = (await call(app, 'GET', `/v1/nominations/${nominationId}`, { key })).json.awardId as string;
  await eventually(async () => {
    const award = await call(app, 'GET', `/v1/awards/${awardId}`, { key });
    expect(award.json.status).toBe('awarded');
  }, 60_000);
  return {
    ...tenant,
    hooks,
    ids: {
      personId: people[0]!,
      programId,
      enrollmentId: enrollments[0]!,
      runId,
      relationshipId,
      resourceId,
      postId,
      replyId,
      rematchRequestId: rematch.json.id,
      goalId,
      milestoneKey: 'midpoint_review',
      meetingId,
      keyId,
      endpointId,
      deliveryId,
      recoveryId,
      providerId,
      dataset: 'meetings',
      kudosId,
      ruleId,
      surveyId,
      instanceId,
      connectionId: hris.json.id,
      credentialId: hris.json.secrets[0].id,
      awardTypeId,
      nominationId,
      awardId,
    } as Record<string, string>,
  };
}
