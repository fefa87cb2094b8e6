import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createApp, principalFromLambdaContext } from '@tandem/api';
import { createDocumentClient, createDynamoClient, createTenantDbs, stsAssumeRole } from '@tandem/store';
import { defaultDeliveryPolicy, SqsDeliveryQueue } from '@tandem/webhooks';
import { SfnWorkflowStarter } from '@tandem/workflows';
import type { Context } from 'aws-lambda';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { cors } from 'hono/cors';
import { readEnvironment, readSecret } from './config.ts';
import { logger, observers, traced } from './powertools.ts';

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

const app = createApp({
  platformDb,
  tenantDb,
  cursorSecret: await readSecret(env.CURSOR_SECRET_ARN),
  resolvePrincipal: principalFromLambdaContext,
  logger,
  metrics: observers.metrics,
  webhooks: {
    queue: new SqsDeliveryQueue(traced(new SQSClient({})), env.WEBHOOK_QUEUE_URL),
    policy: defaultDeliveryPolicy,
  },
  matching: { starter: new SfnWorkflowStarter(traced(new SFNClient({})), env.MATCHING_STATE_MACHINE_ARN) },
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
