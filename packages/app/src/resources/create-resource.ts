import { domainEvent, newId, type Resource, type ResourceInput } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { resourceEventData } from './resource-rules.ts';

/** Adds an article, link or checklist (maybe a training module with a quiz) to the library. */
export async function createResource(ctx: TenantContext, input: ResourceInput): Promise<Resource> {
  const now = ctx.clock().toISOString();
  const value: Resource = {
    id: newId('resource'),
    ...input,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.resources.create(value, domainEvent('resource.created', resourceEventData(value)));
  return value;
}
