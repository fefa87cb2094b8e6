import { domainEvent, type HrisConnection, hrisConnection, type hrisConnectionPatch } from '@tandem/core';
import type { z } from 'zod';
import type { TenantContext } from '../context.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { hrisConnectionEventData } from './connection-rules.ts';

/** Renames, pauses or resumes a connection, or changes its field mapping (JSON Merge Patch). */
export function updateHrisConnection(
  ctx: TenantContext,
  connectionId: string,
  patch: z.infer<typeof hrisConnectionPatch>,
  precondition: Precondition,
): Promise<HrisConnection> {
  const { store } = ctx;
  return mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.hrisConnections.get(connectionId),
    schema: hrisConnection,
    save: (current, updated, removed) =>
      store.hrisConnections.update(
        current,
        updated,
        removed,
        domainEvent('hris_connection.updated', {
          ...hrisConnectionEventData(updated),
          changed: Object.keys(patch),
        }),
      ),
  });
}
