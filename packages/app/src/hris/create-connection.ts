import { domainEvent, type HrisConnection, type HrisConnectionInput, newId } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { hrisConnectionEventData, newHrisSecret, summaries } from './connection-rules.ts';

/**
 * Sets up a connection. A Gusto connection may start without its key: Gusto POSTs the
 * verification token (its signing key) to the webhook URL, and the first one is adopted.
 */
export async function createHrisConnection(
  ctx: TenantContext,
  input: HrisConnectionInput,
): Promise<{ connection: HrisConnection; secret: string | null }> {
  const now = ctx.clock();
  const { secret: pasted, ...fields } = input;
  const issued =
    input.provider === 'gusto' && pasted === undefined
      ? undefined
      : newHrisSecret(input.provider, pasted, now);
  const secrets = issued ? [issued.secret] : [];
  const connection: HrisConnection = {
    id: newId('hrisConnection'),
    ...fields,
    secrets: summaries(secrets),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  await ctx.store.hrisConnections.create(
    connection,
    secrets,
    domainEvent('hris_connection.created', hrisConnectionEventData(connection)),
  );
  return { connection, secret: issued?.shown ?? null };
}
