import {
  ConflictError,
  domainEvent,
  type HrisConnection,
  MAX_HRIS_SECRETS,
  NotFoundError,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { hrisConnectionEventData, newHrisSecret, summaries } from './connection-rules.ts';

/**
 * Adds a secret for a rotation: deliveries verify with any secret of the connection, so the old
 * one keeps working until it is removed.
 */
export function addHrisSecret(
  ctx: TenantContext,
  connectionId: string,
  pasted: string | undefined,
  precondition: Precondition,
): Promise<{ connection: HrisConnection; secret: string | null }> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const { connection, secrets } = await store.hrisConnections.getWithSecrets(connectionId);
    assertVersion(connection, precondition);
    if (secrets.length >= MAX_HRIS_SECRETS)
      throw new ConflictError(`A connection holds at most ${MAX_HRIS_SECRETS} secrets: remove one first`);
    const now = ctx.clock();
    const issued = newHrisSecret(connection.provider, pasted, now);
    const next = [...secrets, issued.secret];
    const updated: HrisConnection = {
      ...connection,
      secrets: summaries(next),
      updatedAt: now.toISOString(),
      version: connection.version + 1,
    };
    await store.hrisConnections.update(
      connection,
      updated,
      [],
      domainEvent('hris_connection.updated', { ...hrisConnectionEventData(updated), changed: ['secrets'] }),
      { secrets: next },
    );
    return { connection: updated, secret: issued.shown };
  });
}

/** Removes a secret at the end of a rotation: deliveries signed with it are refused from now on. */
export function removeHrisSecret(
  ctx: TenantContext,
  connectionId: string,
  secretId: string,
  precondition: Precondition,
): Promise<HrisConnection> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const { connection, secrets } = await store.hrisConnections.getWithSecrets(connectionId);
    assertVersion(connection, precondition);
    if (!secrets.some((s) => s.id === secretId))
      throw new NotFoundError(`No secret ${secretId} on ${connectionId}`);
    const next = secrets.filter((s) => s.id !== secretId);
    const updated: HrisConnection = {
      ...connection,
      secrets: summaries(next),
      updatedAt: ctx.clock().toISOString(),
      version: connection.version + 1,
    };
    await store.hrisConnections.update(
      connection,
      updated,
      [],
      domainEvent('hris_connection.updated', { ...hrisConnectionEventData(updated), changed: ['secrets'] }),
      { secrets: next },
    );
    return updated;
  });
}
