import { Logger } from '@aws-lambda-powertools/logger';
import { authorizeInProcess, createApp, createAuthorizer, hashSecret } from '@tandem/api';
import { TableDeliveryQueue, TableHrisQueue } from '@tandem/local';
import { createDocumentClient, createDynamoClient, type Db } from '@tandem/store';
import { expect, inject, test } from 'vitest';
import {
  CURSOR_SECRET,
  call,
  loopbackUrlPolicy,
  newTenant,
  OPERATOR_KEY,
  testDb,
  testMatching,
  testRecognition,
  testSealer,
} from '../support/app.ts';
import {
  bodyFor,
  type Operation,
  openApiDocument,
  pathFor,
  takesAnId,
  tenantOperations,
  tenantWithEverything,
} from '../support/operations.ts';
import { sharedDynamoEndpoint } from '../support/shared-dynamodb.ts';
import { fastPolicy } from '../support/webhooks.ts';

interface Sent {
  command: string;
  input: Record<string, any>;
}

/** A client of the run's DynamoDB Local that notes every command sent through it. */
function recordingDb(): { db: Db; sent: Sent[] } {
  const doc = createDocumentClient(createDynamoClient({ endpoint: sharedDynamoEndpoint() }));
  const sent: Sent[] = [];
  const send = doc.send.bind(doc);
  doc.send = ((command: { constructor: { name: string }; input: Record<string, any> }, ...rest: never[]) => {
    sent.push({ command: command.constructor.name, input: command.input });
    return (send as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof doc.send;
  return { db: { doc, tableName: inject('tableName') }, sent };
}

const PARTITION = /^(T#|APIKEYHASH#|PLATFORM#|LOCAL#)/;

/**
 * The partitions a command reads or writes (item keys, and a query's key condition): what
 * `dynamodb:LeadingKeys` checks on the tenant's credentials in AWS.
 */
function partitions(input: Record<string, any>): string[] {
  const found: string[] = [];
  const walk = (value: unknown, name: string) => {
    if (typeof value === 'string') {
      if (name === 'PK') found.push(value);
    } else if (Array.isArray(value)) for (const v of value) walk(v, name);
    else if (value && typeof value === 'object') for (const [key, v] of Object.entries(value)) walk(v, key);
  };
  walk(input, '');
  if (input.KeyConditionExpression)
    for (const v of Object.values(input.ExpressionAttributeValues ?? {}))
      if (typeof v === 'string' && PARTITION.test(v)) found.push(v);
  return found;
}

const ownPartition = (tenantId: string) => (pk: string) =>
  pk === `T#${tenantId}` || pk.startsWith(`T#${tenantId}#`);

/** The authorizer's two reads: the key-hash lookup and the tenant's status. */
const isAuthorizerLookup = (sent: Sent) =>
  sent.command === 'GetCommand' &&
  (sent.input.Key?.PK?.startsWith('APIKEYHASH#') || sent.input.Key?.SK === 'TENANT');

/** The API on the given clients, as the Lambda handler builds it (the authorizer in process). */
function appOn(platformDb: Db, tenantDb: (tenantId: string) => Db) {
  // Workers (delivery queue, matching runner) run outside the request, on their own client.
  const shared = testDb();
  return createApp({
    platformDb,
    tenantDb,
    cursorSecret: CURSOR_SECRET,
    sealer: testSealer,
    resolvePrincipal: authorizeInProcess(
      createAuthorizer({
        db: platformDb,
        operatorKeyHash: hashSecret(OPERATOR_KEY),
        urlPolicy: loopbackUrlPolicy,
      }),
    ),
    identity: { urlPolicy: loopbackUrlPolicy },
    logger: new Logger({ serviceName: 'tandem-test', logLevel: 'SILENT' }),
    webhooks: { queue: new TableDeliveryQueue(shared), policy: fastPolicy },
    matching: { starter: testMatching(shared).starter },
    hris: { queue: new TableHrisQueue(shared) },
    recognition: testRecognition(shared),
  });
}

test('tenant operations reach DynamoDB through the tenant-scoped client, inside their own partitions', {
  timeout: 180_000,
}, async () => {
  const platform = recordingDb();
  const tenant = recordingDb();
  const tenantIdsAsked: string[] = [];
  const app = appOn(platform.db, (tenantId) => {
    tenantIdsAsked.push(tenantId);
    return tenant.db;
  });
  const doc = await openApiDocument(app);
  const a = await tenantWithEverything(app, 'Scoped');
  const own = ownPartition(a.tenantId);
  // Deletions last, so every other operation finds what it names.
  const operations = tenantOperations(doc).sort(
    (x: Operation, y: Operation) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'),
  );

  for (const op of operations) {
    platform.sent.length = 0;
    tenant.sent.length = 0;
    tenantIdsAsked.length = 0;
    const res = await call(app, op.method, pathFor(op, a.ids), {
      key: a.key,
      body: bodyFor(op, doc.components.schemas, a.ids),
    });
    const where = `${op.label} → ${res.status}`;
    expect(res.status, `${where} ${res.text}`).toBeLessThan(500);
    expect(
      tenantIdsAsked.filter((id) => id !== a.tenantId),
      where,
    ).toEqual([]);
    for (const sent of tenant.sent) {
      expect(sent.command, where).not.toBe('ScanCommand');
      expect(
        partitions(sent.input).filter((pk) => !own(pk)),
        `${where} ${sent.command}`,
      ).toEqual([]);
    }
    // API keys, identity providers, the SCIM token and HRIS connections write a global lookup (key hash,
    // issuer, token hash, connection id) beside the tenant's item in one transaction, so their repositories work through the
    // platform client (packages/store/src/store.ts), inside the same bounds.
    const globalLookup = op.template.startsWith('/v1/api-keys')
      ? 'APIKEYHASH#'
      : op.template.startsWith('/v1/identity-providers')
        ? 'ISSUER#'
        : op.template.startsWith('/v1/scim-token')
          ? 'SCIMTOKENHASH#'
          : // Erasure revokes the person's calendar feed, whose token hash → person lookup is global.
            op.template === '/v1/people/{personId}/erasure'
            ? 'CALFEEDHASH#'
            : op.template.startsWith('/v1/hris-connections')
              ? 'HRISCONN#'
              : undefined;
    const isApiKeyOperation = globalLookup !== undefined;
    // The authorizer's cache lasts seconds: on a loaded machine it runs out during any operation,
    // which then looks its key up again, global lookup or not.
    const platformAllowed = (sent: Sent) =>
      isAuthorizerLookup(sent) ||
      (globalLookup !== undefined &&
        partitions(sent.input).every((pk) => pk.startsWith(globalLookup) || own(pk)));
    expect(
      platform.sent
        .filter((sent) => !platformAllowed(sent))
        .map((s) => `${s.command} ${partitions(s.input)}`),
      where,
    ).toEqual([]);
    // Participants' own routes refuse an API key before any read.
    if (takesAnId(op) && !isApiKeyOperation && !op.template.startsWith('/v1/me/'))
      expect(tenant.sent.length, `${where} never looked up its id`).toBeGreaterThan(0);
  }
  expect(operations.length).toBeGreaterThanOrEqual(45 - 4);
  await a.hooks.close();
});

test("a tenant's store is kept between requests until the tenant's client changes", async () => {
  // In AWS a tenant's client is replaced when its scoped credentials are renewed: requests after
  // that must go through the new client, not the one the kept store was built on.
  let current = recordingDb();
  const first = current;
  const app = appOn(testDb(), () => current.db);
  const { key } = await newTenant(app);
  expect((await call(app, 'GET', '/v1/people', { key })).status).toBe(200);
  expect((await call(app, 'GET', '/v1/people', { key })).status).toBe(200);
  const sentThroughFirst = first.sent.length;
  expect(sentThroughFirst).toBeGreaterThanOrEqual(2);
  current = recordingDb();
  expect((await call(app, 'GET', '/v1/people', { key })).status).toBe(200);
  expect(current.sent.map((sent) => sent.command)).toContain('QueryCommand');
  expect(first.sent).toHaveLength(sentThroughFirst);
});
