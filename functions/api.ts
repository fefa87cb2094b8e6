import { Logger } from '@aws-lambda-powertools/logger';
import { createApp, principalFromLambdaContext } from '@tandem/api';
import { createDocumentClient, createDynamoClient } from '@tandem/store';
import { handle } from 'hono/aws-lambda';
import { readEnvironment } from './config.ts';

const env = readEnvironment();
const db = { doc: createDocumentClient(createDynamoClient()), tableName: env.TABLE_NAME };

/** API Gateway → hono. The Lambda authorizer already resolved the caller. */
export const handler = handle(
  createApp({
    platformDb: db,
    tenantDb: () => db,
    cursorSecret: env.CURSOR_SECRET,
    resolvePrincipal: principalFromLambdaContext,
    logger: new Logger({ serviceName: 'tandem-api' }),
  }),
);
