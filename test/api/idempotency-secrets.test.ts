import { randomUUID } from 'node:crypto';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TableDeliveryQueue } from '@tandem/local';
import type { Db } from '@tandem/store';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, OPERATOR_KEY, strictTestPolicy, testApp } from '../support/app.ts';
import { ownDatabase } from '../support/own-database.ts';

/** The lines a real Powertools logger would print, kept instead of printed. */
const logLines: string[] = [];
class CapturingLogger extends Logger {
  protected override printLog(_level: number, log: LogItem): void {
    logLines.push(JSON.stringify(log.getAttributes()));
  }
}

/** A database of its own, so a Scan sees every item this file wrote and nothing else. */
let db: Db;
let app: ReturnType<typeof testApp>;
let database: Awaited<ReturnType<typeof ownDatabase>>;
beforeAll(async () => {
  database = await ownDatabase();
  db = database.db;
  app = testApp({
    db,
    endpoint: database.endpoint,
    logger: new CapturingLogger({ serviceName: 'tandem-test', logLevel: 'DEBUG' }),
    webhooks: { queue: new TableDeliveryQueue(db), policy: { ...strictTestPolicy, allowInsecureUrls: true } },
  });
});
afterAll(() => database.stop());

async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every string and byte string in an attribute value, bytes read as UTF-8. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value && typeof value === 'object') return Object.values(value).map(textOf).join('\n');
  return String(value);
}

/** Sends a request twice with one Idempotency-Key; the second answer must be the documented replay. */
async function createAndReplay(
  path: string,
  key: string,
  body: unknown,
  secretOf: (json: any) => string | null,
  status = 201,
) {
  const headers = { 'idempotency-key': `secret-${randomUUID()}` };
  const first = await call(app, 'POST', path, { key, body, headers });
  expect(first.status, first.text).toBe(status);
  const secret = secretOf(first.json);
  expect(typeof secret).toBe('string');

  const replay = await call(app, 'POST', path, { key, body, headers });
  expect(replay.status).toBe(status);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.headers.get('location')).toBe(first.headers.get('location'));
  expect(replay.headers.get('etag')).toBe(first.headers.get('etag'));
  expect(secretOf(replay.json)).toBeNull();
  // Everything but the secret comes back as first sent.
  expect(JSON.stringify(replay.json)).toBe(first.text.replace(JSON.stringify(secret), 'null'));
  return { json: first.json, secret: secret as string };
}

test('no secret a create or rotation shows once is stored in its idempotency record or logged', async () => {
  const tenant = await createAndReplay(
    '/v1/tenants',
    OPERATOR_KEY,
    { name: 'Secret Keepers' },
    (json) => json.adminKey.secret,
  );
  const admin = tenant.secret;
  const created = await createAndReplay(
    '/v1/api-keys',
    admin,
    { name: 'HRIS sync', scopes: ['read'] },
    (json) => json.secret,
  );
  const rotated = await createAndReplay(
    `/v1/api-keys/${created.json.id}/rotate`,
    admin,
    { overlapSeconds: 3600 },
    (json) => json.secret,
  );
  const endpoint = await createAndReplay(
    '/v1/webhook-endpoints',
    admin,
    { url: 'http://hooks.example.test/tandem' },
    (json) => json.secret,
  );
  const resigned = await createAndReplay(
    `/v1/webhook-endpoints/${endpoint.json.id}/rotate-secret`,
    admin,
    { overlapSeconds: 3600 },
    (json) => json.secret,
    200,
  );

  const items = await scanAll();
  expect(items.filter((item) => item.entity === 'idempotency' && item.state === 'completed')).toHaveLength(5);
  const holding = (secret: string) => items.filter((item) => textOf(item).includes(secret));

  // API keys are stored only as hashes; signing secrets, which must be kept to sign deliveries, only
  // sealed (test/webhooks/secrets-at-rest.test.ts opens them).
  for (const secret of [admin, created.secret, rotated.secret, endpoint.secret, resigned.secret])
    expect(holding(secret)).toEqual([]);

  expect(logLines.length).toBeGreaterThanOrEqual(10);
  for (const secret of [admin, created.secret, rotated.secret, endpoint.secret, resigned.secret])
    expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
});

test('the OpenAPI document says what a replay returns for a secret', async () => {
  const { schemas } = (await call(app, 'GET', '/openapi.json')).json.components;
  for (const schema of [schemas.ApiKeyWithSecret, schemas.WebhookEndpointWithSecret]) {
    const secret = schema.properties.secret;
    expect(secret.type).toEqual(['string', 'null']);
    expect(secret.description).toContain('Idempotent-Replayed: true');
    expect(secret.description).toContain('`null`');
  }
});
