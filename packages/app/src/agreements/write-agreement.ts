import {
  type Agreement,
  type AgreementTerms,
  agreementTerms,
  applyMergePatch,
  assertExpectationsOfMembers,
  assertOngoing,
  changedTerms,
  describeAgreement,
  domainEvent,
  NotFoundError,
  PreconditionFailedError,
  type StoredAgreement,
  termsOf,
} from '@tandem/core';
import type { ActorContext } from '../context.ts';
import { participantOf, reachableRelationship } from '../participants/access.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

export interface AgreementWrite {
  agreement: Agreement;
  /** The first draft (201), as opposed to a new version of an existing agreement. */
  created: boolean;
}

/**
 * Drafts the agreement (PUT): the first version, or a whole new version of an existing one.
 * Only members write it: it is their mutual agreement, and an admin's words would need accepting
 * by people who did not write them.
 */
export function putAgreement(
  ctx: ActorContext,
  relationshipId: string,
  terms: AgreementTerms,
  precondition: Precondition,
): Promise<AgreementWrite> {
  return writeAgreement(ctx, relationshipId, precondition, () => terms);
}

/** Changes the current version by JSON Merge Patch (PATCH), which makes a new version. */
export function patchAgreement(
  ctx: ActorContext,
  relationshipId: string,
  patch: Record<string, unknown>,
  precondition: Precondition,
): Promise<AgreementWrite> {
  return writeAgreement(ctx, relationshipId, precondition, (current) => {
    if (!current)
      throw new NotFoundError(
        `Relationship ${relationshipId} has no agreement yet; a member drafts it with PUT`,
      );
    return applyMergePatch(termsOf(current), patch, agreementTerms);
  });
}

/**
 * Every change is a new version with no acceptances: any change needs every member again. The
 * write is conditional on the version read, so an acceptance that races it applies to the
 * version it named, and a change that changes nothing makes no version.
 */
function writeAgreement(
  ctx: ActorContext,
  relationshipId: string,
  precondition: Precondition,
  change: (current: StoredAgreement | undefined) => AgreementTerms,
): Promise<AgreementWrite> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const relationship = await reachableRelationship(ctx, relationshipId);
    const personId = participantOf(ctx.actor);
    assertOngoing(relationship);
    const current = await store.agreements.get(relationshipId);
    if (current) assertVersion(current, precondition);
    else if (precondition.expectedVersion !== undefined)
      throw new PreconditionFailedError(`Relationship ${relationshipId} has no agreement to match If-Match`);
    const terms = change(current);
    assertExpectationsOfMembers(terms, relationship);
    const changed = changedTerms(current && termsOf(current), terms);
    if (current && changed.length === 0)
      return { agreement: describeAgreement(current, relationship), created: false };
    const at = ctx.clock().toISOString();
    const next: StoredAgreement = {
      ...terms,
      relationshipId,
      version: (current?.version ?? 0) + 1,
      acceptances: {},
      createdAt: current?.createdAt ?? at,
      updatedAt: at,
      updatedBy: personId,
    };
    await store.agreements.save(
      next,
      current?.version,
      [await store.relationships.ongoingCheck(relationshipId)],
      domainEvent('agreement.updated', {
        relationshipId,
        programId: relationship.programId,
        version: next.version,
        changed,
      }),
    );
    return { agreement: describeAgreement(next, relationship), created: !current };
  });
}
