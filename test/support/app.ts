import { Logger } from '@aws-lambda-powertools/logger';
import { authorizeInProcess, createApp, createAuthorizer, hashSecret } from '@tandem/api';
import { createDocumentClient, createDynamoClient, type Db } from '@tandem/store';
import { inject } from 'vitest';

export const OPERATOR_KEY = 'tdm_op_test-operator-key-0123456789';

let shared: Db | undefined;

/** One document client per test file, against the run's DynamoDB Local. */
export function testDb(): Db {
  shared ??= {
    doc: createDocumentClient(createDynamoClient({ endpoint: inject('dynamoEndpoint') })),
    tableName: inject('tableName'),
  };
  return shared;
}

export function testApp(options: { now?: () => Date } = {}) {
  const db = testDb();
  const authorize = createAuthorizer({ db, operatorKeyHash: hashSecret(OPERATOR_KEY), ...options });
  return createApp({
    platformDb: db,
    tenantDb: () => db,
    cursorSecret: 'test-cursor-secret-0123456789',
    resolvePrincipal: authorizeInProcess(authorize),
    logger: new Logger({ serviceName: 'tandem-test', logLevel: 'SILENT' }),
    ...options,
  });
}

type App = ReturnType<typeof testApp>;

export interface CallOptions {
  key?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request into the hono app, exactly as a client would send it over HTTP. */
export async function call(app: App, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await app.request(path, { method, headers, body });
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** A fresh tenant per test keeps tests independent on the shared table. */
export async function newTenant(app: App, name = 'Test Org') {
  const res = await call(app, 'POST', '/v1/tenants', { key: OPERATOR_KEY, body: { name } });
  if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${res.text}`);
  return { tenantId: res.json.tenant.id as string, key: res.json.adminKey.secret as string };
}

let emailCounter = 0;
export const uniqueEmail = (name = 'person') => `${name}.${Date.now()}.${++emailCounter}@example.com`;
