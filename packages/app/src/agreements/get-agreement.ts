import {
  type Agreement,
  type AgreementVersion,
  acceptancesOf,
  agreementVersion,
  describeAgreement,
} from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { reachableRelationship } from '../participants/access.ts';
import { reachableAgreement } from './agreement-rules.ts';

/** The current version of a relationship's agreement, with who accepted it and who has yet to. */
export async function getAgreement(ctx: ActorContext, relationshipId: string): Promise<Agreement> {
  const { relationship, current } = await reachableAgreement(ctx, relationshipId);
  return describeAgreement(current, relationship);
}

/** Every version of the agreement, oldest first, each with who accepted it. */
export async function listAgreementVersions(
  ctx: ActorContext,
  relationshipId: string,
  page: PageRequest,
): Promise<Page<AgreementVersion>> {
  const relationship = await reachableRelationship(ctx, relationshipId);
  const versions = await ctx.store.agreements.versions(relationshipId, page);
  return {
    items: versions.items.map((v) =>
      agreementVersion.parse({ ...v, acceptances: acceptancesOf(v.acceptances, relationship) }),
    ),
    nextCursor: versions.nextCursor,
  };
}
