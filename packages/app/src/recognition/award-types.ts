import { type AwardType, type AwardTypeInput, badgeSvg, domainEvent, newId } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';

/** Defines an award: its criteria, badge, whether nominations need an admin's approval, and whether it has a certificate. */
export async function createAwardType(ctx: TenantContext, input: AwardTypeInput): Promise<AwardType> {
  const now = ctx.clock().toISOString();
  const value: AwardType = { id: newId('awardType'), ...input, createdAt: now, updatedAt: now, version: 1 };
  await ctx.store.awardTypes.create(
    value,
    domainEvent('award_type.created', {
      awardTypeId: value.id,
      name: value.name,
      requiresApproval: value.requiresApproval,
    }),
  );
  return value;
}

export const getAwardType = (ctx: TenantContext, awardTypeId: string): Promise<AwardType> =>
  ctx.store.awardTypes.get(awardTypeId);

export const listAwardTypes = (ctx: TenantContext, page: PageRequest): Promise<Page<AwardType>> =>
  ctx.store.awardTypes.list(page);

/** The badge to show: the generated SVG, or where the organization hosts its image. */
export async function awardTypeBadge(
  ctx: TenantContext,
  awardTypeId: string,
): Promise<{ svg: string } | { imageUrl: string }> {
  const { name, badge } = await ctx.store.awardTypes.get(awardTypeId);
  return badge.kind === 'generated'
    ? { svg: badgeSvg(name, badge.background, badge.foreground) }
    : { imageUrl: badge.url };
}
