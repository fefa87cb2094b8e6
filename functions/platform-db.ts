import { createDocumentClient, createDynamoClient, type Db } from '@tandem/store';
import { traced } from './powertools.ts';

/**
 * The table with the function's own (platform) access, for background functions (webhook relay and
 * delivery, matching steps, the scheduled job). They are driven by the stream, a queue, the state
 * machine or a schedule, never by a tenant's request; each store they make is still bound to one
 * tenant's keys.
 */
export const platformDb = (env: { TABLE_NAME: string }): Db => ({
  doc: createDocumentClient(traced(createDynamoClient())),
  tableName: env.TABLE_NAME,
});
