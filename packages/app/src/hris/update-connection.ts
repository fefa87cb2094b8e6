import { domainEvent, type HrisConnection, hrisConnection, type hrisConnectionPatch } from '@tandem/core';
import type { z } from 'zod';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { hrisConnectionEventData } from './connection-rules.ts';
import type { HrisApiContext } from './ports.ts';
import { assertApiAccess } from './provider-api.ts';
import { reconcileTimer } from './reconcile-connection.ts';

/**
 * Renames, pauses or resumes a connection, or changes its field mapping or API settings (JSON
 * Merge Patch). `apiCredentials` replaces the stored credentials as a whole (they are write-only,
 * so there is nothing to merge into); `null` removes them. New credentials or API settings make a
 * reconciliation due at once.
 */
export async function updateHrisConnection(
  ctx: HrisApiContext,
  connectionId: string,
  patch: z.infer<typeof hrisConnectionPatch>,
  precondition: Precondition,
): Promise<HrisConnection> {
  const { store } = ctx;
  const { apiCredentials, ...fields } = patch;
  return mergePatchUpdate(ctx, fields, precondition, {
    load: async () => {
      const current = await store.hrisConnections.get(connectionId);
      return apiCredentials === undefined
        ? current
        : { ...current, apiConnected: apiCredentials === null ? undefined : true };
    },
    schema: hrisConnection,
    save: async (current, updated, removed) => {
      const { apiCredentials: held } = await store.hrisConnections.getWithSecrets(connectionId);
      const credentials = apiCredentials === undefined ? held : (apiCredentials ?? undefined);
      if (apiCredentials !== undefined || fields.api !== undefined)
        await assertApiAccess(ctx, updated.provider, credentials, updated.api);
      const reconcileNow = credentials !== undefined && (apiCredentials || fields.api !== undefined);
      await store.hrisConnections.update(
        current,
        updated,
        [...removed, ...(apiCredentials === null ? ['_apiCredentials', 'apiConnected'] : [])],
        domainEvent('hris_connection.updated', {
          ...hrisConnectionEventData(updated),
          changed: Object.keys(patch),
        }),
        apiCredentials ? { apiCredentials } : {},
        reconcileNow ? [await store.timers.setOp(reconcileTimer(connectionId, ctx.clock()))] : [],
      );
    },
  });
}
