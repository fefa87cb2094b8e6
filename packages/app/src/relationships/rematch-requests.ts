import {
  assertOpen,
  domainEvent,
  type EventDraft,
  NotFoundError,
  newId,
  type RematchRequest,
  type RematchRequestInput,
  type RematchResolution,
} from '@tandem/core';
import type { Page, PageRequest, WriteOp } from '@tandem/store';
import type { ActorContext, TenantContext } from '../context.ts';
import { participantOf, reachableRelationship } from '../participants/access.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

const eventData = (request: RematchRequest) => ({
  requestId: request.id,
  relationshipId: request.relationshipId,
  programId: request.programId,
  personId: request.personId,
});

/**
 * A member asks to be matched with someone else, during the relationship or after it ended. The
 * request goes to the admins' queue; one open request per person and relationship. `also` joins the
 * request's transaction: what asked for it (a fit-check answer) is recorded together with it.
 */
export async function requestRematch(
  ctx: ActorContext,
  relationshipId: string,
  input: RematchRequestInput,
  also: { ops: WriteOp[]; events: EventDraft[] } = { ops: [], events: [] },
): Promise<RematchRequest> {
  const relationship = await reachableRelationship(ctx, relationshipId);
  const personId = participantOf(ctx.actor);
  const now = ctx.clock().toISOString();
  const value: RematchRequest = {
    id: newId('rematchRequest'),
    relationshipId,
    programId: relationship.programId,
    personId,
    ...input,
    status: 'open',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.rematchRequests.create(
    value,
    [domainEvent('rematch.requested', { ...eventData(value), reason: value.reason }), ...also.events],
    also.ops,
  );
  return value;
}

/** An admin closes a request: rematched (a new match is made or on its way) or declined, with a note. */
export function resolveRematch(
  ctx: TenantContext,
  requestId: string,
  input: RematchResolution,
  by: string,
  precondition: Precondition,
): Promise<RematchRequest> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = await store.rematchRequests.get(requestId);
    assertVersion(current, precondition);
    assertOpen(current);
    const now = ctx.clock().toISOString();
    const next: RematchRequest = {
      ...current,
      status: 'resolved',
      ...input,
      resolvedAt: now,
      resolvedBy: by,
      updatedAt: now,
      version: current.version + 1,
    };
    await store.rematchRequests.resolve(
      current,
      next,
      domainEvent('rematch.resolved', { ...eventData(next), resolution: input.resolution }),
    );
    return next;
  });
}

/** A request is its requester's and the admins': nobody else learns it exists. */
export async function getRematchRequest(ctx: ActorContext, requestId: string): Promise<RematchRequest> {
  const request = await ctx.store.rematchRequests.get(requestId);
  if (ctx.actor.kind === 'participant' && request.personId !== ctx.actor.personId)
    throw new NotFoundError(`No rematch request ${requestId}`);
  return request;
}

/** A relationship's rematch requests, newest first: all of them for admins, a member's own for a member. */
export async function listRelationshipRematchRequests(
  ctx: ActorContext,
  relationshipId: string,
  page: PageRequest,
): Promise<Page<RematchRequest>> {
  await reachableRelationship(ctx, relationshipId);
  if (ctx.actor.kind === 'participant')
    return ctx.store.rematchRequests.ofPerson(ctx.actor.personId, page, relationshipId);
  return ctx.store.rematchRequests.ofRelationship(relationshipId, page);
}
