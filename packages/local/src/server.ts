import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { authorizeInProcess, createApp, createAuthorizer, TokenBuckets } from '@tandem/api';
import { cancellationCodes, createDocumentClient, createDynamoClient, ensureTable } from '@tandem/store';
import {
  cursorSecrets,
  loadState,
  operatorKeyHashes,
  operatorKeyLine,
  resolveOperatorKey,
  saveState,
  sealerOf,
} from './config.ts';
import { DbPriority } from './db-priority.ts';
import { startDevIssuer } from './dev-issuer.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { createLocalHris } from './hris-runtime.ts';
import { listen } from './http-server.ts';
import { createLocalMatching } from './matching-runtime.ts';
import { createLocalReactions } from './reactions-runtime.ts';
import { createLocalRecognition } from './recognition-runtime.ts';
import { createLocalScheduler } from './scheduler.ts';
import { type Created, seedDemo, trustDevIssuer } from './seed.ts';
import { localDeliveryPolicy } from './webhook-policy.ts';
import { createLocalWebhooks } from './webhook-runtime.ts';

export interface LocalOptions {
  port: number;
  /** Where DynamoDB Local's files and local.json live; undefined runs everything in memory. */
  dataDir: string | undefined;
  tableName?: string;
  log?: (line: string) => void;
  /**
   * Each tenant's tier limits, as API Gateway's usage plans apply them in AWS (default on).
   * Benchmarks of the request path turn them off: they measure the path, not the throttle.
   */
  rateLimits?: boolean;
}

/**
 * The local runtime: DynamoDB Local, the table, the demo seed and the API server, with one
 * stop() that shuts everything down in reverse order.
 */
export async function startLocal(options: LocalOptions) {
  const log = options.log ?? console.log;
  const tableName = options.tableName ?? 'tandem-local';
  const logger = new Logger({
    serviceName: 'tandem-local',
    ...(process.env.POWERTOOLS_LOG_LEVEL ? {} : { logLevel: 'WARN' }),
  });
  const server = await listen(options.port, (error, request) =>
    logger.error('request failed outside the app', {
      path: new URL(request.url).pathname,
      error: error as Error,
      cancellationReasons: cancellationCodes(error),
    }),
  );

  const fixedPort = Number(process.env.TANDEM_DYNAMODB_PORT);
  const dynamo = await startDynamoDbLocal({
    ...(fixedPort ? { port: fixedPort } : {}),
    ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
  }).catch(async (error) => {
    await server.close();
    throw error;
  });
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  const db = { doc: createDocumentClient(client), tableName };
  await ensureTable(client, tableName);
  // The API's requests go first on DynamoDB Local's one thread; the HRIS worker and the reactions
  // fill the gaps (the webhook relay and deliveries keep their own pace: their lag is measured).
  const priority = new DbPriority();
  const apiClient = priority.foregroundOf(createDynamoClient({ endpoint: dynamo.endpoint }));
  const apiDb = { doc: createDocumentClient(apiClient), tableName };
  const hrisClient = priority.backgroundOf(createDynamoClient({ endpoint: dynamo.endpoint }), 2);
  const reactionsClient = priority.backgroundOf(createDynamoClient({ endpoint: dynamo.endpoint }), 2);

  const state = loadState(options.dataDir);
  const operator = resolveOperatorKey(state);
  const sealer = sealerOf(state);
  // Identity providers' keys may be fetched from loopback over http here (the development issuer).
  const authorize = createAuthorizer({
    db: apiDb,
    operatorKeyHash: operatorKeyHashes(state, operator),
    urlPolicy: localDeliveryPolicy(process.env),
  });
  const webhooks = createLocalWebhooks({
    dynamoEndpoint: dynamo.endpoint,
    db,
    cursorSecret: cursorSecrets(state),
    sealer,
    policy: localDeliveryPolicy(process.env),
    ...(options.dataDir ? { checkpointFile: join(options.dataDir, 'stream-checkpoints.json') } : {}),
    onError: (error) => logger.error('webhook background work failed', { error: error as Error }),
  });
  const matchingBlobDir = options.dataDir
    ? join(options.dataDir, 'blobs')
    : await mkdtemp(join(tmpdir(), 'tandem-blobs-'));
  const matching = createLocalMatching({
    db,
    endpoint: dynamo.endpoint,
    cursorSecret: cursorSecrets(state),
    blobDir: matchingBlobDir,
    logger,
  });
  const recognition = createLocalRecognition({
    db,
    cursorSecret: cursorSecrets(state),
    blobDir: matchingBlobDir,
    publicUrl: `http://localhost:${server.port}`,
    logger,
  });
  const hris = createLocalHris({
    db: { doc: createDocumentClient(hrisClient), tableName },
    cursorSecret: cursorSecrets(state),
    sealer,
    urlPolicy: localDeliveryPolicy(process.env),
    onError: (error) => logger.error('applying an HRIS change failed', { error: error as Error }),
  });
  const interrupted = await matching.failInterrupted(new Date());
  if (interrupted) log(`Marked ${interrupted} matching run(s) interrupted by the last stop as failed.`);
  const app = createApp({
    platformDb: apiDb,
    tenantDb: () => apiDb,
    cursorSecret: cursorSecrets(state),
    sealer,
    resolvePrincipal: authorizeInProcess(authorize),
    logger,
    webhooks: { queue: webhooks.queue, policy: webhooks.policy },
    matching: { starter: matching.starter },
    hris: { queue: hris.queue },
    recognition: { starter: recognition.starter, certificates: recognition.certificates },
    ...(options.rateLimits === false ? {} : { rateLimits: new TokenBuckets() }),
  });

  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Created & Record<string, unknown> };
  };
  if (!state.demo) {
    state.demo = await seedDemo(call, operator.key);
    log('Seeded the demo organization.');
  }
  // Served on the loopback server itself, so its URL follows the port of each run.
  const devIssuer = options.dataDir
    ? await startDevIssuer(options.dataDir, `http://127.0.0.1:${server.port}`)
    : undefined;
  if (devIssuer)
    state.devIdentityProviderId = await trustDevIssuer(
      call,
      state.demo.adminKey,
      devIssuer,
      state.devIdentityProviderId,
    );
  saveState(options.dataDir, state);
  webhooks.start();
  const scheduler = createLocalScheduler({
    db,
    cursorSecret: cursorSecrets(state),
    sealer,
    urlPolicy: localDeliveryPolicy(process.env),
    onError: (error) => logger.error('scheduled job failed', { error: error as Error }),
  });
  scheduler.start();
  const reactions = createLocalReactions({
    dynamoEndpoint: dynamo.endpoint,
    db: { doc: createDocumentClient(reactionsClient), tableName },
    cursorSecret: cursorSecrets(state),
    ...(options.dataDir ? { checkpointFile: join(options.dataDir, 'reaction-checkpoints.json') } : {}),
    recognition: recognition.starter,
    onError: (error) => logger.error('reacting to events failed; retried', { error: error as Error }),
  });
  reactions.start();
  hris.start();
  server.attach((request) => devIssuer?.handle(request) ?? app.fetch(request));

  const url = `http://localhost:${server.port}`;
  log(`Tandem API listening on ${url}  (docs: ${url}/docs, OpenAPI: ${url}/openapi.json)`);
  log(`DynamoDB Local on ${dynamo.endpoint}, table ${tableName}, data ${options.dataDir ?? 'in memory'}`);
  log(operatorKeyLine(operator, options.dataDir));
  log(`Demo organization ${state.demo.tenantId} admin API key: ${state.demo.adminKey}`);
  log(
    devIssuer
      ? `Participant token of a demo person (local development issuer): npm run token -- dana@demo.example`
      : 'Participant tokens need the data folder: the development issuer is off with --in-memory',
  );

  return {
    url,
    port: server.port,
    dynamoEndpoint: dynamo.endpoint,
    operatorKey: operator.key,
    demo: state.demo,
    async stop() {
      await server.close();
      await scheduler.stop();
      await reactions.stop();
      await webhooks.stop();
      await hris.stop();
      await matching.runner.idle();
      await recognition.runner.idle();
      await matching.close();
      for (const each of [client, apiClient, hrisClient, reactionsClient]) each.destroy();
      await dynamo.stop();
    },
  };
}
