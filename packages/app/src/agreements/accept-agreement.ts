import {
  type Agreement,
  assertOngoing,
  ConflictError,
  describeAgreement,
  domainEvent,
  type EventDraft,
} from '@tandem/core';
import type { WriteOp } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { milestoneWritesFor } from '../milestones/milestone-writes.ts';
import { participantOf } from '../participants/access.ts';
import { retryOnFreshState } from '../versioned.ts';
import { reachableAgreement } from './agreement-rules.ts';

/**
 * A member accepts the version they read. The acceptance applies to exactly that version: once a
 * newer one exists it is refused (409), never carried over. The acceptance that completes a
 * version (every member, circles included) also, in its own transaction, activates a relationship
 * pending its agreement and reaches the `agreement_accepted` milestones. Acceptances serialize on
 * the agreement's head (see AgreementsRepository.accept), so exactly one acceptance completes a
 * version, and a lost race is retried on the fresh state.
 */
export function acceptAgreement(
  ctx: ActorContext,
  relationshipId: string,
  version: number,
): Promise<Agreement> {
  const { store } = ctx;
  return retryOnFreshState(async () => {
    const { relationship, current } = await reachableAgreement(ctx, relationshipId);
    const personId = participantOf(ctx.actor);
    assertOngoing(relationship);
    if (current.version !== version)
      throw new ConflictError(
        `Version ${version} is not the current version of the agreement (${current.version}); read it and accept that one`,
        [{ field: '/version', message: `the agreement is at version ${current.version}` }],
      );
    if (current.acceptances[personId]) return describeAgreement(current, relationship);

    const at = ctx.clock().toISOString();
    const next = { ...current, acceptances: { ...current.acceptances, [personId]: at } };
    const complete = relationship.members.every((m) => next.acceptances[m.personId]);
    const ops: WriteOp[] = [];
    const events: EventDraft[] = [
      domainEvent('agreement.accepted', {
        relationshipId,
        programId: relationship.programId,
        personId,
        version,
        acceptedByAll: complete,
      }),
    ];
    if (complete && relationship.status === 'pending_agreement') {
      ops.push(await store.relationships.activateOp(relationship, at));
      events.push(
        domainEvent('relationship.activated', {
          relationshipId,
          programId: relationship.programId,
          personIds: relationship.members.map((m) => m.personId),
        }),
      );
    } else ops.push(await store.relationships.ongoingCheck(relationshipId));
    if (complete) {
      const milestones = await milestoneWritesFor(
        store,
        relationship,
        await store.milestones.reachedKeys(relationshipId),
        'agreement_accepted',
        at,
      );
      ops.push(...milestones.ops);
      events.push(...milestones.events);
    }
    await store.agreements.accept(current, personId, at, ops, events);
    return describeAgreement(next, relationship);
  });
}
