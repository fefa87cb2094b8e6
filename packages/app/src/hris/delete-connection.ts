import { domainEvent } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { hrisConnectionEventData } from './connection-rules.ts';

/** Removes a connection: its webhook URL answers 404; the people it synced stay as they are. */
export function deleteHrisConnection(
  ctx: TenantContext,
  connectionId: string,
  precondition: Precondition,
): Promise<void> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = await store.hrisConnections.get(connectionId);
    assertVersion(current, precondition);
    await store.hrisConnections.delete(
      current,
      domainEvent('hris_connection.deleted', hrisConnectionEventData(current)),
    );
  });
}
