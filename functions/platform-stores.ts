import { CursorCodec, createDocumentClient, createDynamoClient, tenantStore } from '@tandem/store';
import { rotatingSecret } from './config.ts';
import { traced } from './powertools.ts';

/**
 * Repositories for background functions (webhook relay and delivery, matching steps). They are
 * driven by the stream, a queue or the state machine, never by a tenant's request, so they use
 * the function's own (platform) table access; each store is still bound to one tenant's keys.
 */
export async function platformStores(env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string }) {
  const db = { doc: createDocumentClient(traced(createDynamoClient())), tableName: env.TABLE_NAME };
  // Values of the cold start: these functions only open cursors the API issued, and the API issues
  // a rotated secret's new value only once every function has had time to read it (config.ts).
  const cursors = new CursorCodec((await rotatingSecret(env.CURSOR_SECRET_ARN)).values());
  return (tenantId: string) => tenantStore({ tenant: db, platform: db }, tenantId, cursors);
}
