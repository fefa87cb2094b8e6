import {
  assertNotSelf,
  DEFAULT_KUDOS_PER_DAY,
  domainEvent,
  InvalidInputError,
  isMember,
  type Kudos,
  type KudosInput,
  kudosDay,
  NotFoundError,
  newId,
} from '@tandem/core';
import type { Actor, ActorContext } from '../context.ts';

const refuse = (field: string, message: string, detail: string) =>
  new InvalidInputError(detail, [{ field, message }]);

/** Participants send as themselves; an admin names the person the kudos comes from. */
function senderOf(actor: Actor, named: string | undefined): string {
  if (actor.kind === 'participant') {
    if (named !== undefined && named !== actor.personId)
      throw refuse(
        '/senderId',
        'participants send kudos as themselves',
        'A participant sends kudos as themselves',
      );
    return actor.personId;
  }
  if (named === undefined)
    throw refuse(
      '/senderId',
      'is required with an API key',
      'An admin sends kudos on behalf of a named sender',
    );
  return named;
}

/** Whether `read` finds the thing, a missing one being false rather than an error. */
async function found(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * Where the kudos belongs: the linked relationship (the sender's own) and its meeting fix its
 * program; without a link, a named program must be one the sender is enrolled in.
 */
async function programOf(
  ctx: ActorContext,
  senderId: string,
  input: KudosInput,
): Promise<string | undefined> {
  if (input.meetingId !== undefined && input.relationshipId === undefined)
    throw refuse('/meetingId', 'needs relationshipId', 'A meeting is linked through its relationship');
  if (input.relationshipId !== undefined) {
    const relationshipId = input.relationshipId;
    const relationship = await ctx.store.relationships.get(relationshipId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    // A relationship the sender is not in is reported like one that does not exist.
    if (!relationship || !isMember(relationship, senderId))
      throw refuse(
        '/relationshipId',
        'is not a relationship of the sender',
        'Kudos link only the sender’s relationships',
      );
    if (input.programId !== undefined && input.programId !== relationship.programId)
      throw refuse(
        '/programId',
        "is not the relationship's program",
        'The program and the relationship disagree',
      );
    const meetingId = input.meetingId;
    if (meetingId !== undefined && !(await found(() => ctx.store.meetings.get(relationshipId, meetingId))))
      throw refuse(
        '/meetingId',
        'is not a meeting of that relationship',
        'Kudos link only the relationship’s meetings',
      );
    return relationship.programId;
  }
  if (input.programId !== undefined) {
    const active = await ctx.store.enrollments.activeOf(input.programId, [senderId]);
    if (!active.has(senderId))
      throw refuse(
        '/programId',
        'is not a program the sender is enrolled in',
        'Kudos belong to the sender’s programs',
      );
  }
  return input.programId;
}

/**
 * Thanks someone. The kudos, its feed entry and the count on the sender's UTC day are one
 * transaction; the count's condition refuses the send past the organization's daily limit
 * (429 with Retry-After at the next UTC midnight), leaving nothing behind.
 */
export async function giveKudos(ctx: ActorContext, input: KudosInput): Promise<Kudos> {
  const senderId = senderOf(ctx.actor, input.senderId);
  assertNotSelf(senderId, input.recipientId);
  const { people } = ctx.store;
  if (!(await people.exists(input.recipientId)))
    throw refuse('/recipientId', 'is not a person of this organization', `No person ${input.recipientId}`);
  if (ctx.actor.kind === 'admin' && !(await people.exists(senderId)))
    throw refuse('/senderId', 'is not a person of this organization', `No person ${senderId}`);
  const programId = await programOf(ctx, senderId, input);
  if (input.visibility === 'program' && programId === undefined)
    throw refuse(
      '/programId',
      'is required for program visibility',
      'Program-visible kudos name their program',
    );

  const settings = await ctx.store.kudos.settings();
  const now = ctx.clock();
  const { day, renewsAt } = kudosDay(now);
  const at = now.toISOString();
  const value: Kudos = {
    id: newId('kudos'),
    senderId,
    recipientId: input.recipientId,
    message: input.message,
    ...(input.skill !== undefined ? { skill: input.skill } : {}),
    visibility: input.visibility,
    ...(programId !== undefined ? { programId } : {}),
    ...(input.relationshipId !== undefined ? { relationshipId: input.relationshipId } : {}),
    ...(input.meetingId !== undefined ? { meetingId: input.meetingId } : {}),
    sentByAdmin: ctx.actor.kind === 'admin',
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const entry = await ctx.store.recognitionFeed.entryOp(
    value.id,
    { kind: 'kudos', occurredAt: at, kudos: value },
    { visibility: value.visibility, programId, personIds: [senderId, value.recipientId] },
  );
  await ctx.store.kudos.create(
    value,
    { day, renewsAt, limit: settings?.kudosPerSenderPerDay ?? DEFAULT_KUDOS_PER_DAY },
    [entry],
    domainEvent('kudos.given', {
      kudosId: value.id,
      senderId,
      recipientId: value.recipientId,
      visibility: value.visibility,
      ...(programId !== undefined ? { programId } : {}),
      ...(value.skill !== undefined ? { skill: value.skill } : {}),
      sentByAdmin: value.sentByAdmin,
    }),
  );
  return value;
}
