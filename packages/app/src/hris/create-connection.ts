import { domainEvent, type HrisConnection, type HrisConnectionInput, newId } from '@tandem/core';
import { hrisConnectionEventData, newHrisSecret, summaries } from './connection-rules.ts';
import type { HrisApiContext } from './ports.ts';
import { assertApiAccess } from './provider-api.ts';
import { reconcileTimer } from './reconcile-connection.ts';

/**
 * Sets up a connection. A Gusto connection may start without its key: Gusto POSTs the
 * verification token (its signing key) to the webhook URL, and the first one is adopted. With API
 * credentials (kept storage-only), its first reconciliation, a full pull, is due at once.
 */
export async function createHrisConnection(
  ctx: HrisApiContext,
  input: HrisConnectionInput,
): Promise<{ connection: HrisConnection; secret: string | null }> {
  const now = ctx.clock();
  const { secret: pasted, apiCredentials, ...fields } = input;
  await assertApiAccess(ctx, input.provider, apiCredentials, input.api);
  const issued =
    input.provider === 'gusto' && pasted === undefined
      ? undefined
      : newHrisSecret(input.provider, pasted, now);
  const secrets = issued ? [issued.secret] : [];
  const connection: HrisConnection = {
    id: newId('hrisConnection'),
    ...fields,
    secrets: summaries(secrets),
    ...(apiCredentials ? { apiConnected: true } : {}),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  await ctx.store.hrisConnections.create(
    connection,
    secrets,
    domainEvent('hris_connection.created', hrisConnectionEventData(connection)),
    apiCredentials,
    apiCredentials ? [await ctx.store.timers.setOp(reconcileTimer(connection.id, now))] : [],
  );
  return { connection, secret: issued?.shown ?? null };
}
