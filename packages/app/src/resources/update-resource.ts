import { ConflictError, domainEvent, type Resource, resource, type resourcePatch } from '@tandem/core';
import type { z } from 'zod';
import type { TenantContext } from '../context.ts';
import { programsRequiring } from '../training/required-training.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { resourceEventData } from './resource-rules.ts';

/**
 * A JSON Merge Patch of a resource. A module that a program requires stays a training module:
 * turning it into a plain resource would leave participants a requirement they cannot complete.
 */
export function updateResource(
  ctx: TenantContext,
  resourceId: string,
  patch: z.infer<typeof resourcePatch>,
  precondition: Precondition,
): Promise<Resource> {
  const { store } = ctx;
  return mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.resources.get(resourceId),
    schema: resource,
    check: async (updated) => {
      // Only a patch that sets trainingModule false can demote a module.
      if (patch.trainingModule !== false) return;
      const requiring = await programsRequiring(store, updated.id);
      if (requiring.length)
        throw new ConflictError(
          `Programs ${requiring.join(', ')} require this module; remove it from their requiredTraining first`,
          [{ field: '/trainingModule', message: 'required by a program' }],
        );
    },
    save: (current, updated, removed) =>
      store.resources.update(
        current,
        updated,
        removed,
        domainEvent('resource.updated', { ...resourceEventData(updated), changed: Object.keys(patch) }),
      ),
  });
}
