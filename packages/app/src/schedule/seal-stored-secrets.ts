import type { TenantContext } from '../context.ts';

/** The name the platform records the sweep under once every tenant was swept (PlatformMigrations). */
export const SEAL_STORED_SECRETS = 'seal-stored-secrets';

/**
 * Seals what a tenant stored before secrets were sealed at rest: its webhook endpoints' signing
 * secrets and its HR systems' keys and API credentials. Each is also sealed by the first use that
 * reads it, but an endpoint that never delivers, or a connection that nothing reads, would keep
 * them in plaintext; the scheduled job runs this once over every tenant (runScheduledJob).
 * Safe to repeat and beside any other use: each item is sealed on the condition that it still
 * holds the plaintext read.
 */
export async function sealStoredSecrets(ctx: TenantContext): Promise<{ sealed: number }> {
  const [endpoints, connections] = await Promise.all([
    ctx.store.webhookEndpoints.sealPlaintextSecrets(),
    ctx.store.hrisConnections.sealPlaintextSecrets(),
  ]);
  return { sealed: endpoints + connections };
}
