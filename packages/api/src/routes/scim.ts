import {
  createGroup,
  deleteGroup,
  deleteUser,
  listGroups,
  listUsers,
  patchUser,
  provisionUser,
  replaceUser,
  updateGroup,
} from '@tandem/app';
import {
  LIST_RESPONSE,
  MAX_RESULTS,
  parseGroupFilter,
  parsePatch,
  parseUserFilter,
  renderGroup,
  renderUser,
  resourceTypeDocuments,
  ScimError,
  schemaDocuments,
  scimErrorOf,
  serviceProviderConfig,
} from '@tandem/integrations';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../env.ts';
import { type AppEnv, tenantContext } from '../env.ts';
import { auditTrail } from '../http/audit.ts';
import { preconditionOf } from '../http/etag.ts';
import { authenticate, requireScimToken } from '../http/middleware.ts';
import { rateLimit } from '../http/rate-limit.ts';

const SCIM_JSON = 'application/scim+json';

/** A full initial push of a large organization's groups can carry thousands of members. */
const MAX_BODY_BYTES = 1024 * 1024;

const baseUrlOf = (c: Context) => `${new URL(c.req.url).origin}/scim/v2`;

/** Every SCIM response, errors included, is `application/scim+json` (Entra asks for it). */
function scim(c: Context, body: unknown, status: 200 | 201 = 200, etag?: string) {
  if (etag) c.header('etag', etag);
  return c.body(JSON.stringify(body), status, { 'content-type': SCIM_JSON });
}

function scimError(c: Context<AppEnv>, error: unknown) {
  const mapped = scimErrorOf(error);
  if (!mapped) {
    c.get('deps').logger.error('unhandled error', { requestId: c.get('requestId'), error: error as Error });
    const body = scimErrorOf(
      new ScimError(500, undefined, 'Internal error; the request id is in x-request-id'),
    )!;
    return c.body(JSON.stringify(body.body), 500, { 'content-type': SCIM_JSON });
  }
  return c.body(JSON.stringify(mapped.body), mapped.status as 400, { 'content-type': SCIM_JSON });
}

/** Okta's spec test posts with `application/json`; Entra with `application/scim+json`. Both are JSON. */
async function jsonOf(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimError(400, 'invalidSyntax', 'The body is not JSON');
  }
}

/**
 * RFC 7644 §3.4.2.4: `startIndex` below 1 counts as 1, a negative `count` as 0, and no more than
 * MAX_RESULTS come back per page. Anything that is not an integer is a 400.
 */
function pagination(c: Context) {
  const read = (name: string, fallback: number) => {
    const raw = c.req.query(name);
    if (raw === undefined || raw === '') return fallback;
    if (!/^-?\d+$/.test(raw)) throw new ScimError(400, 'invalidValue', `${name} must be an integer`);
    return Number(raw);
  };
  return {
    startIndex: Math.max(1, read('startIndex', 1)),
    count: Math.min(MAX_RESULTS, Math.max(0, read('count', MAX_RESULTS))),
  };
}

function listResponse<T>(page: { totalResults: number; items: T[] }, startIndex: number) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: page.totalResults,
    itemsPerPage: page.items.length,
    startIndex,
    Resources: page.items,
  };
}

/** `attributes`/`excludedAttributes=members`: Entra reads groups without their members. */
const wantsMembers = (c: Context) =>
  !(c.req.query('excludedAttributes') ?? '')
    .split(',')
    .some((name) => name.trim().toLowerCase() === 'members');

/**
 * SCIM 2.0 (RFC 7643/7644) for Okta and Microsoft Entra ID, under /scim/v2 and outside the
 * OpenAPI document: identity providers speak SCIM, not Tandem's problem+json API (docs/scim.md).
 */
export function registerScimRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const scimApp = new Hono<AppEnv>();
  scimApp.onError((error, c) => scimError(c, error));
  scimApp.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        scimError(c, new ScimError(413, 'tooMany', `Bodies are limited to ${MAX_BODY_BYTES} bytes`)),
    }),
  );
  scimApp.use('*', authenticate(deps));
  scimApp.use('*', requireScimToken());
  // The tenant's tier limits SCIM too, as its usage plan does in AWS.
  scimApp.use('*', rateLimit());
  // What an identity provider changes is audited like any other write. SCIM operations have no
  // operationId, and this sub-app's middleware sees no matched route yet, so an entry names the
  // method and the path (SCIM ids are generated, never personal data).
  scimApp.use(
    '*',
    auditTrail((c) => ({ operationId: undefined, route: `${c.req.method} ${c.req.path}` })),
  );

  scimApp.get('/ServiceProviderConfig', (c) =>
    scim(c, serviceProviderConfig(baseUrlOf(c), `${new URL(c.req.url).origin}/docs`)),
  );
  scimApp.get('/Schemas', (c) => {
    const documents = schemaDocuments(baseUrlOf(c));
    return scim(c, listResponse({ totalResults: documents.length, items: documents }, 1));
  });
  scimApp.get('/Schemas/:id', (c) => {
    const found = schemaDocuments(baseUrlOf(c)).find((s) => s.id === c.req.param('id'));
    if (!found) throw new ScimError(404, undefined, `No schema ${c.req.param('id')}`);
    return scim(c, found);
  });
  scimApp.get('/ResourceTypes', (c) => {
    const documents = resourceTypeDocuments(baseUrlOf(c));
    return scim(c, listResponse({ totalResults: documents.length, items: documents }, 1));
  });
  scimApp.get('/ResourceTypes/:id', (c) => {
    const found = resourceTypeDocuments(baseUrlOf(c)).find((t) => t.id === c.req.param('id'));
    if (!found) throw new ScimError(404, undefined, `No resource type ${c.req.param('id')}`);
    return scim(c, found);
  });

  scimApp.get('/Users', async (c) => {
    const { startIndex, count } = pagination(c);
    const filter = c.req.query('filter');
    const page = await listUsers(tenantContext(c), {
      terms: filter ? parseUserFilter(filter) : undefined,
      startIndex,
      count,
    });
    const base = baseUrlOf(c);
    return scim(c, listResponse({ ...page, items: page.items.map((r) => renderUser(r, base)) }, startIndex));
  });
  scimApp.post('/Users', async (c) => {
    const { record } = await provisionUser(tenantContext(c), await jsonOf(c));
    const body = renderUser(record, baseUrlOf(c));
    c.header('location', body.meta.location);
    return scim(c, body, 201, body.meta.version);
  });
  scimApp.get('/Users/:id', async (c) => {
    const record = await c.get('store').scim.getUser(c.req.param('id'));
    const body = renderUser(record, baseUrlOf(c));
    if (c.req.header('if-none-match') === body.meta.version)
      return c.body(null, 304, { etag: body.meta.version });
    return scim(c, body, 200, body.meta.version);
  });
  scimApp.put('/Users/:id', async (c) => {
    const body = await jsonOf(c);
    const { record } = await replaceUser(tenantContext(c), c.req.param('id'), body, preconditionOf(c));
    const rendered = renderUser(record, baseUrlOf(c));
    return scim(c, rendered, 200, rendered.meta.version);
  });
  scimApp.patch('/Users/:id', async (c) => {
    const operations = parsePatch(await jsonOf(c));
    const { record } = await patchUser(tenantContext(c), c.req.param('id'), operations, preconditionOf(c));
    const rendered = renderUser(record, baseUrlOf(c));
    return scim(c, rendered, 200, rendered.meta.version);
  });
  scimApp.delete('/Users/:id', async (c) => {
    await deleteUser(tenantContext(c), c.req.param('id'), preconditionOf(c));
    return c.body(null, 204);
  });

  scimApp.get('/Groups', async (c) => {
    const { startIndex, count } = pagination(c);
    const filter = c.req.query('filter');
    const page = await listGroups(tenantContext(c), {
      terms: filter ? parseGroupFilter(filter) : undefined,
      startIndex,
      count,
    });
    const base = baseUrlOf(c);
    const members = wantsMembers(c);
    return scim(
      c,
      listResponse({ ...page, items: page.items.map((g) => renderGroup(g, base, { members })) }, startIndex),
    );
  });
  scimApp.post('/Groups', async (c) => {
    const group = await createGroup(tenantContext(c), await jsonOf(c));
    const body = renderGroup(group, baseUrlOf(c), { members: true });
    c.header('location', body.meta.location);
    return scim(c, body, 201, body.meta.version);
  });
  scimApp.get('/Groups/:id', async (c) => {
    const group = await c.get('store').scim.getGroup(c.req.param('id'));
    const body = renderGroup(group, baseUrlOf(c), { members: wantsMembers(c) });
    return scim(c, body, 200, body.meta.version);
  });
  scimApp.put('/Groups/:id', async (c) => {
    const body = await jsonOf(c);
    const group = await updateGroup(
      tenantContext(c),
      c.req.param('id'),
      { replace: body },
      preconditionOf(c),
    );
    const rendered = renderGroup(group, baseUrlOf(c), { members: true });
    return scim(c, rendered, 200, rendered.meta.version);
  });
  // Entra expects 204 for a group PATCH; the new version is in the ETag.
  scimApp.patch('/Groups/:id', async (c) => {
    const operations = parsePatch(await jsonOf(c));
    const group = await updateGroup(
      tenantContext(c),
      c.req.param('id'),
      { patch: operations },
      preconditionOf(c),
    );
    c.header('etag', `W/"${group.version}"`);
    return c.body(null, 204);
  });
  scimApp.delete('/Groups/:id', async (c) => {
    await deleteGroup(tenantContext(c), c.req.param('id'), preconditionOf(c));
    return c.body(null, 204);
  });

  scimApp.all('*', (c) => {
    throw new ScimError(404, undefined, `No SCIM endpoint ${c.req.method} ${new URL(c.req.url).pathname}`);
  });

  app.route('/scim/v2', scimApp);
}
