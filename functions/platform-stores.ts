import {
  CursorCodec,
  createDocumentClient,
  createDynamoClient,
  TenantsRepository,
  tenantStore,
} from '@tandem/store';
import { rotatingSecret } from './config.ts';
import { traced } from './powertools.ts';

/**
 * The table with the function's own (platform) access and the cursor codec, for background
 * functions (webhook relay and delivery, matching steps, the scheduled job). They are driven by
 * the stream, a queue, the state machine or a schedule, never by a tenant's request; each store
 * they make is still bound to one tenant's keys.
 */
export async function platformTable(env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string }) {
  const db = { doc: createDocumentClient(traced(createDynamoClient())), tableName: env.TABLE_NAME };
  // Values of the cold start: these functions only open cursors the API issued, and the API issues
  // a rotated secret's new value only once every function has had time to read it (config.ts).
  const cursors = new CursorCodec((await rotatingSecret(env.CURSOR_SECRET_ARN)).values());
  return { db, cursors };
}

/** The tenants and every repository of one tenant, with the function's own access. */
export async function platformAccess(env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string }) {
  const { db, cursors } = await platformTable(env);
  return {
    tenants: new TenantsRepository(db, cursors),
    storesFor: (tenantId: string, clock?: () => Date) =>
      tenantStore({ tenant: db, platform: db }, tenantId, cursors, clock),
  };
}

/** One tenant's repositories for a background function. */
export async function platformStores(env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string }) {
  const { storesFor } = await platformAccess(env);
  return (tenantId: string) => storesFor(tenantId);
}
