import type { ResourceView } from '@tandem/core';
import type { Page, PageRequest, ResourceFilter } from '@tandem/store';
import type { ActorContext } from '../context.ts';
import { viewFor } from './resource-rules.ts';

/** One resource as the actor may see it (participants: active ones, without quiz answers). */
export async function getResource(ctx: ActorContext, resourceId: string): Promise<ResourceView> {
  return viewFor(ctx.actor, await ctx.store.resources.get(resourceId));
}

/** A page of the library; participants list the active resources only, without quiz answers. */
export async function listResources(
  ctx: ActorContext,
  filter: ResourceFilter,
  page: PageRequest,
): Promise<Page<ResourceView>> {
  const scoped = ctx.actor.kind === 'participant' ? { ...filter, status: 'active' as const } : filter;
  const found = await ctx.store.resources.list(scoped, page);
  return { ...found, items: found.items.map((item) => viewFor(ctx.actor, item)) };
}
