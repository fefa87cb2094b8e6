import { createApp, principalFromLambdaContext } from '@tandem/api';
import type { HrisQueue } from '@tandem/app';
import { createDocumentClient, createDynamoClient, createTenantDbs, stsAssumeRole } from '@tandem/store';
import { defaultDeliveryPolicy } from '@tandem/webhooks';
import type { WorkflowStarter } from '@tandem/workflows';
import type { Context } from 'aws-lambda';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { cors } from 'hono/cors';
import { readEnvironment } from './config.ts';
import { deliveryQueueOnFirstUse } from './delivery-queue.ts';
import { lazy } from './lazy.ts';
import { logger, observers, traced } from './powertools.ts';
import { kmsSealer } from './sealer.ts';

const env = readEnvironment('api');
const platformDb = { doc: createDocumentClient(traced(createDynamoClient())), tableName: env.TABLE_NAME };
const tenantDbs = env.TENANT_ROLE_ARN
  ? createTenantDbs({ tableName: env.TABLE_NAME, roleArn: env.TENANT_ROLE_ARN, assumeRole: stsAssumeRole() })
  : undefined;
// The document client shares its client's middleware stack; each cached tenant client is captured once.
const captured = new WeakSet<object>();
const tenantDb = (tenantId: string) => {
  if (!tenantDbs) return platformDb;
  const db = tenantDbs(tenantId);
  if (!captured.has(db.doc)) captured.add(traced(db.doc));
  return db;
};

/**
 * Few requests start or stop a matching run or queue a webhook job (test pings, redeliveries,
 * recoveries), so the SFN and SQS clients load on the first request that does, not at every cold
 * start: bundle.ts makes each dynamic import a chunk of its own.
 */
const sfnStarter = lazy(async () => {
  const [{ SFNClient }, { SfnWorkflowStarter }] = await Promise.all([
    import('@aws-sdk/client-sfn'),
    import('@tandem/workflows/sfn-starter'),
  ]);
  return new SfnWorkflowStarter(traced(new SFNClient({})), env.MATCHING_STATE_MACHINE_ARN);
});
const starter: WorkflowStarter = {
  start: async (state) => (await sfnStarter()).start(state),
  stop: async (executionId) => (await sfnStarter()).stop(executionId),
};
const sfnRecognition = lazy(async () => {
  const [{ SFNClient }, { SfnRecognitionStarter }] = await Promise.all([
    import('@aws-sdk/client-sfn'),
    import('@tandem/workflows/recognition-sfn-starter'),
  ]);
  return new SfnRecognitionStarter(traced(new SFNClient({})), env.RECOGNITION_STATE_MACHINE_ARN);
});
// Certificates are read on their download routes only: the S3 client loads on the first.
const certificates = lazy(async () => {
  const [{ S3Client }, { S3BlobStore }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@tandem/workflows/s3-blob-store'),
  ]);
  return new S3BlobStore(traced(new S3Client({})), env.CERTIFICATE_BUCKET);
});
const queue = deliveryQueueOnFirstUse(env.WEBHOOK_QUEUE_URL);
const hrisSqs = lazy(async () => {
  const [{ SQSClient }, { SqsHrisQueue }] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('./hris-sqs.ts'),
  ]);
  return new SqsHrisQueue(traced(new SQSClient({})), env.HRIS_QUEUE_URL);
});
const hrisQueue: HrisQueue = { enqueue: async (jobs, receipt) => (await hrisSqs()).enqueue(jobs, receipt) };
// Only tenant creation and tier changes move usage plan keys: the API Gateway client loads then.
const usagePlans = lazy(async () => {
  const [{ APIGatewayClient }, { sdkUsagePlanGateway, usagePlanBinding }] = await Promise.all([
    import('@aws-sdk/client-api-gateway'),
    import('./usage-plans.ts'),
  ]);
  return usagePlanBinding(sdkUsagePlanGateway(traced(new APIGatewayClient({}))), env.USAGE_PLAN_NAME_PREFIX);
});

/**
 * Only a request that seals or opens a list cursor, or verifies a certificate link, needs the
 * cursor secret, and most requests do neither: the Secrets Manager client loads and the secret is
 * read on the first request that does (a chunk of its own), not at every cold start. Each use
 * re-reads it once SECRET_REFRESH_MS has passed, so a rotation still reaches this function.
 */
const cursorSecret = lazy(async () => (await import('./secrets.ts')).rotatingSecret(env.CURSOR_SECRET_ARN));
const app = createApp({
  platformDb,
  tenantDb,
  cursorSecret: async () => {
    const secret = await cursorSecret();
    await secret.fresh();
    return secret.values();
  },
  sealer: kmsSealer(env.SEALING_KEY_ARN),
  resolvePrincipal: principalFromLambdaContext,
  logger,
  metrics: observers.metrics,
  webhooks: { queue, policy: defaultDeliveryPolicy },
  matching: { starter },
  hris: { queue: hrisQueue },
  recognition: {
    starter: { start: async (execution) => (await sfnRecognition()).start(execution) },
    certificates: { read: async (key) => (await certificates()).getBytes(key) },
  },
  usagePlans: { bind: async (tenantId, tier) => (await usagePlans()).bind(tenantId, tier) },
});

/** API Gateway → hono. The Lambda authorizer already resolved the caller; CORS only where the stage allows origins. */
const handleRequest = env.CORS_ALLOW_ORIGINS
  ? handle(
      new Hono()
        .use(cors({ origin: env.CORS_ALLOW_ORIGINS.split(','), exposeHeaders: ['ETag', 'Location'] }))
        .all('*', (c) => app.fetch(c.req.raw, c.env)),
    )
  : handle(app);

export const handler = (event: Parameters<typeof handleRequest>[0], context: Context) => {
  logger.addContext(context);
  return handleRequest(event, context);
};
