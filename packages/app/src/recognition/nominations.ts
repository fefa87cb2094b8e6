import {
  assertNominationPending,
  derivedId,
  domainEvent,
  InvalidInputError,
  type Nomination,
  type NominationInput,
  newId,
} from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext, RecognitionContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

const eventData = (n: Nomination) => ({
  nominationId: n.id,
  personId: n.personId,
  awardTypeId: n.awardTypeId,
  ...(n.programId ? { programId: n.programId } : {}),
});

/**
 * Nominates a person for an award; an admin or a participant (not for themselves). An award type
 * that needs no approval approves the nomination at once. Either way the recognition workflow
 * starts: it waits for the decision, or awards straight away.
 */
export async function nominate(
  ctx: ActorContext & RecognitionContext,
  input: NominationInput,
): Promise<Nomination> {
  const { store, actor } = ctx;
  if (actor.kind === 'participant' && actor.personId === input.personId)
    throw new InvalidInputError('Nominate someone else; nobody nominates themselves', [
      { field: '/personId', message: 'must not be yourself' },
    ]);
  const [type, person] = await Promise.all([
    store.awardTypes.get(input.awardTypeId),
    store.people.get(input.personId),
    input.programId ? store.programs.get(input.programId) : undefined,
  ]);
  if (person.status === 'left')
    throw new InvalidInputError(`Person ${person.id} has left the organization`, [
      { field: '/personId', message: 'has left' },
    ]);
  const now = ctx.clock().toISOString();
  const id = newId('nomination');
  const value: Nomination = {
    id,
    personId: input.personId,
    awardTypeId: input.awardTypeId,
    ...(input.programId ? { programId: input.programId } : {}),
    reason: input.reason,
    nominatedBy:
      actor.kind === 'participant' ? { kind: 'participant', personId: actor.personId } : { kind: 'admin' },
    status: type.requiresApproval ? 'pending' : 'approved',
    ...(type.requiresApproval ? {} : { decidedAt: now }),
    awardId: derivedId('award', id, 0),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await store.nominations.create(value, domainEvent('nomination.created', eventData(value)));
  await ctx.recognition.starter.start({
    tenantId: ctx.tenantId,
    awardId: value.awardId,
    nominationId: id,
    mode: 'evaluate',
  });
  return value;
}

/**
 * An admin approves or rejects a pending nomination, with an optional note. Approval starts the
 * execution that awards it (the first one ended waiting for this decision); a rejection awards nothing.
 */
export async function decideNomination(
  ctx: RecognitionContext,
  nominationId: string,
  decision: { approve: boolean; note?: string | undefined },
  precondition: Precondition,
): Promise<Nomination> {
  const { store } = ctx;
  const decided = await readModifyWrite(precondition, async () => {
    const current = await store.nominations.get(nominationId);
    assertVersion(current, precondition);
    assertNominationPending(current);
    const now = ctx.clock().toISOString();
    const next: Nomination = {
      ...current,
      status: decision.approve ? 'approved' : 'rejected',
      ...(decision.note ? { decisionNote: decision.note } : {}),
      decidedAt: now,
      updatedAt: now,
      version: current.version + 1,
    };
    await store.nominations.decide(
      current,
      next,
      domainEvent(decision.approve ? 'nomination.approved' : 'nomination.rejected', eventData(next)),
    );
    return next;
  });
  if (decided.status === 'approved')
    await ctx.recognition.starter.start({
      tenantId: ctx.tenantId,
      awardId: decided.awardId,
      nominationId: decided.id,
      mode: 'decided',
    });
  return decided;
}

export const getNomination = (ctx: ActorContext, nominationId: string): Promise<Nomination> =>
  ctx.store.nominations.get(nominationId);

export const listNominations = (
  ctx: ActorContext,
  filter: { status?: Nomination['status'] | undefined },
  page: PageRequest,
): Promise<Page<Nomination>> => ctx.store.nominations.list(filter, page);
