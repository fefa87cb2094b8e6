import { assertAnonymityKept, domainEvent, type Program, program, type programPatch } from '@tandem/core';
import type { z } from 'zod';
import type { TenantContext } from '../context.ts';
import { programEndTimer } from '../relationships/program-end-timer.ts';
import { assertRequiredTrainingValid } from '../training/required-training.ts';
import { mergePatchUpdate, type Precondition } from '../versioned.ts';
import { programEventData } from './program-events.ts';

export function updateProgram(
  ctx: TenantContext,
  programId: string,
  patch: z.infer<typeof programPatch>,
  precondition: Precondition,
): Promise<Program> {
  const { store } = ctx;
  return mergePatchUpdate(ctx, patch, precondition, {
    load: () => store.programs.get(programId),
    schema: program,
    check: (updated, current) => {
      assertAnonymityKept(current.anonymity, updated.anonymity);
      return patch.requiredTraining
        ? assertRequiredTrainingValid(store, updated.requiredTraining)
        : undefined;
    },
    save: async (current, updated, removed) =>
      store.programs.update(
        current,
        updated,
        removed,
        domainEvent('program.updated', { ...programEventData(updated), changed: Object.keys(patch) }),
        // A new end date moves the end timer; a removed one leaves it to find nothing to do.
        updated.endDate && updated.endDate !== current.endDate
          ? [await store.timers.setOp(programEndTimer({ id: updated.id, endDate: updated.endDate }))]
          : [],
      ),
  });
}
