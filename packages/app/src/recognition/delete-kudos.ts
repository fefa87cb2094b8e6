import { domainEvent } from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { assertSenderOrAdmin, visibleKudos } from './recognition-access.ts';

/**
 * Its sender or an admin deletes a kudos, and with it its feed entry. The sender's daily count
 * stays: deleting does not give a send back.
 */
export function deleteKudos(ctx: ActorContext, kudosId: string, precondition: Precondition): Promise<void> {
  return readModifyWrite(precondition, async () => {
    const value = await visibleKudos(ctx, kudosId);
    assertVersion(value, precondition);
    assertSenderOrAdmin(ctx, value);
    await ctx.store.kudos.delete(
      value,
      [await ctx.store.recognitionFeed.removeOp(value.id, value.createdAt)],
      domainEvent('kudos.deleted', { kudosId, senderId: value.senderId, recipientId: value.recipientId }),
    );
  });
}
