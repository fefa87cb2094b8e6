import { CursorCodec, PlatformMigrations, type SecretSealer, TenantsRepository } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { platformDb } from './platform-db.ts';
import { rotatingSecret } from './secrets.ts';

/** The platform table (platform-db.ts) and the cursor codec. */
export async function platformTable(env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string }) {
  const db = platformDb(env);
  // Values of the cold start: these functions only open cursors the API issued, and the API issues
  // a rotated secret's new value only once every function has had time to read it (secrets.ts).
  const cursors = new CursorCodec((await rotatingSecret(env.CURSOR_SECRET_ARN)).values());
  return { db, cursors };
}

/**
 * The tenants and every repository of one tenant, with the function's own access. `sealer`:
 * `kmsSealer` for a function that keeps secrets, `noSecrets` for one that must not.
 */
export async function platformAccess(
  env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string },
  sealer: SecretSealer,
) {
  const { db, cursors } = await platformTable(env);
  return {
    tenants: new TenantsRepository(db, cursors),
    migrations: new PlatformMigrations(db),
    storesFor: (tenantId: string, clock?: () => Date) =>
      tenantStore({ tenant: db, platform: db, sealer }, tenantId, cursors, clock),
  };
}

/** One tenant's repositories for a background function. */
export async function platformStores(
  env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string },
  sealer: SecretSealer,
) {
  const { storesFor } = await platformAccess(env, sealer);
  return (tenantId: string) => storesFor(tenantId);
}
