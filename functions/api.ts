import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createApp, principalFromLambdaContext } from '@tandem/api';
import { createDocumentClient, createDynamoClient, createTenantDbs, stsAssumeRole } from '@tandem/store';
import { defaultDeliveryPolicy, SqsDeliveryQueue } from '@tandem/webhooks';
import { SfnWorkflowStarter } from '@tandem/workflows';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { cors } from 'hono/cors';
import { readEnvironment, readSecret } from './config.ts';

const env = readEnvironment('api');
const platformDb = { doc: createDocumentClient(createDynamoClient()), tableName: env.TABLE_NAME };
const tenantDb = env.TENANT_ROLE_ARN
  ? createTenantDbs({ tableName: env.TABLE_NAME, roleArn: env.TENANT_ROLE_ARN, assumeRole: stsAssumeRole() })
  : () => platformDb;

const app = createApp({
  platformDb,
  tenantDb,
  cursorSecret: await readSecret(env.CURSOR_SECRET_ARN),
  resolvePrincipal: principalFromLambdaContext,
  logger: new Logger({ serviceName: 'tandem-api' }),
  webhooks: {
    queue: new SqsDeliveryQueue(new SQSClient({}), env.WEBHOOK_QUEUE_URL),
    policy: defaultDeliveryPolicy,
  },
  matching: { starter: new SfnWorkflowStarter(new SFNClient({}), env.MATCHING_STATE_MACHINE_ARN) },
});

/** API Gateway → hono. The Lambda authorizer already resolved the caller; CORS only where the stage allows origins. */
export const handler = env.CORS_ALLOW_ORIGINS
  ? handle(
      new Hono()
        .use(cors({ origin: env.CORS_ALLOW_ORIGINS.split(','), exposeHeaders: ['ETag', 'Location'] }))
        .all('*', (c) => app.fetch(c.req.raw, c.env)),
    )
  : handle(app);
