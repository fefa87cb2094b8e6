import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  authorizeInProcess,
  createApp,
  createAuthorizer,
  hashSecret,
  type MetricsSink,
  type TokenBuckets,
} from '@tandem/api';
import type { HrisQueue } from '@tandem/app';
import {
  createLocalMatching,
  createLocalRecognition,
  TableDeliveryQueue,
  TableHrisQueue,
} from '@tandem/local';
import {
  createDocumentClient,
  createDynamoClient,
  type Db,
  LocalDataKeys,
  SecretSealer,
} from '@tandem/store';
import { type DeliveryPolicy, type DeliveryQueue, defaultDeliveryPolicy } from '@tandem/webhooks';
import type { WorkflowStarter } from '@tandem/workflows';
import { inject } from 'vitest';
import { sharedDynamoEndpoint } from './shared-dynamodb.ts';

export const OPERATOR_KEY = 'tdm_op_test-operator-key-0123456789';
export const CURSOR_SECRET = 'test-cursor-secret-0123456789';
/** The tests' master key for sealing stored secrets: one for every file, so any file's sealer opens what another sealed. */
export const TEST_SEALING_KEY = Buffer.from('tandem-test-sealing-key-32-bytes');
export const testSealer = new SecretSealer(new LocalDataKeys(TEST_SEALING_KEY));

let shared: Db | undefined;

/** One document client per test file, against the run's DynamoDB Local. */
export function testDb(): Db {
  shared ??= {
    doc: createDocumentClient(createDynamoClient({ endpoint: sharedDynamoEndpoint() })),
    tableName: inject('tableName'),
  };
  return shared;
}

/** DNS for tests: every name is loopback, so no test can ever reach past this machine. */
export const loopbackDns = async () => [{ address: '127.0.0.1', family: 4 }];

/**
 * Identity providers' URLs in tests: the test issuers listen on 127.0.0.1 over http, and every
 * name resolves to loopback, so no test fetches keys from past this machine.
 */
export const loopbackUrlPolicy = { allowInsecureUrls: true, resolveHost: loopbackDns };

/** AWS's strict policy (https, public addresses only), with test DNS. */
export const strictTestPolicy: DeliveryPolicy = { ...defaultDeliveryPolicy, resolveHost: loopbackDns };

export interface TestAppOptions {
  now?: () => Date;
  /** Another table than the shared one (webhook tests run their own stream and queue). */
  db?: Db;
  /** The DynamoDB Local that `db` lives on, when it is not the run's shared one (see ownDatabase). */
  endpoint?: string;
  /** Without a running worker, queued delivery jobs just wait; the default policy is AWS's (https only). */
  webhooks?: { queue: DeliveryQueue; policy: DeliveryPolicy };
  /** Where verified HRIS changes wait; the table queue by default (test/support/hris.ts works it off). */
  hris?: { queue: HrisQueue };
  /** Defaults to the real local runner; tests may pass another `WorkflowStarter`. */
  matching?: { starter: WorkflowStarter };
  /** Defaults to the real local recognition runner (`testRecognition`). */
  recognition?: ReturnType<typeof testRecognition>;
  /** Defaults to a silent logger. */
  logger?: Logger;
  metrics?: MetricsSink;
  /** Which identity provider URLs may be configured and fetched; loopback over http by default. */
  urlPolicy?: { allowInsecureUrls: boolean; resolveHost?: typeof loopbackDns };
  /** How long an unknown `kid` waits before the keys are fetched again (jose's default: 30 s). */
  jwksCooldownMs?: number;
  /**
   * Per-tenant rate limits as under npm start. Off by default: the contract tests send more
   * requests per tenant than any tier's burst allows.
   */
  rateLimits?: TokenBuckets;
  /** The secrets of a rotation's overlap (rotation tests); CURSOR_SECRET and OPERATOR_KEY otherwise. */
  secrets?: { cursor: string[]; operatorKeyHashes: string[] };
}

/** Matching runs execute for real: the synthesized state machine on the local runner, no retry pauses. */
export function testMatching(
  db: Db,
  options: { chunkRows?: number; sampleFrom?: number; endpoint?: string } = {},
) {
  return createLocalMatching({
    ...options,
    db,
    endpoint: options.endpoint ?? sharedDynamoEndpoint(),
    cursorSecret: CURSOR_SECRET,
    blobDir: mkdtempSync(join(tmpdir(), 'tandem-test-blobs-')),
    retryIntervalMs: 0,
    logger: { info: () => {}, warn: () => {} },
  });
}

/** The base URL of the test app's certificate links. */
export const TEST_PUBLIC_URL = 'http://localhost';

/** Recognition workflows execute for real: the synthesized state machine on the local runner, no retry pauses. */
export function testRecognition(
  db: Db,
  options: Partial<Omit<Parameters<typeof createLocalRecognition>[0], 'db' | 'cursorSecret'>> = {},
) {
  return createLocalRecognition({
    blobDir: mkdtempSync(join(tmpdir(), 'tandem-test-certificates-')),
    publicUrl: TEST_PUBLIC_URL,
    retryIntervalMs: 0,
    logger: { info: () => {}, warn: () => {} },
    ...options,
    db,
    cursorSecret: CURSOR_SECRET,
  });
}

export function testApp(options: TestAppOptions = {}) {
  const db = options.db ?? testDb();
  const now = options.now ? { now: options.now } : {};
  const authorize = createAuthorizer({
    db,
    operatorKeyHash: options.secrets?.operatorKeyHashes ?? hashSecret(OPERATOR_KEY),
    urlPolicy: options.urlPolicy ?? loopbackUrlPolicy,
    ...(options.jwksCooldownMs !== undefined ? { jwksCooldownMs: options.jwksCooldownMs } : {}),
    ...now,
  });
  return createApp({
    platformDb: db,
    tenantDb: () => db,
    cursorSecret: options.secrets?.cursor ?? CURSOR_SECRET,
    sealer: testSealer,
    resolvePrincipal: authorizeInProcess(authorize),
    identity: { urlPolicy: options.urlPolicy ?? loopbackUrlPolicy },
    logger: options.logger ?? new Logger({ serviceName: 'tandem-test', logLevel: 'SILENT' }),
    webhooks: options.webhooks ?? { queue: new TableDeliveryQueue(db), policy: strictTestPolicy },
    matching: {
      starter: (options.matching ?? testMatching(db, options.endpoint ? { endpoint: options.endpoint } : {}))
        .starter,
    },
    hris: options.hris ?? { queue: new TableHrisQueue(db) },
    recognition: options.recognition ?? testRecognition(db, options.now ? { now: options.now } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...now,
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
