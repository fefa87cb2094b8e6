import {
  allRequired,
  type Enrollment,
  type FieldError,
  InvalidInputError,
  missingTraining,
  type Program,
  type RequiredTraining,
  requiredFor,
  type TrainingRole,
  trainingRoles,
} from '@tandem/core';
import type { TenantStore } from '@tandem/store';

/** Programs that no longer match anyone: their requirements hold nobody back. */
const finished: readonly Program['status'][] = ['completed', 'archived'];

/** Every id a program requires must name an active training module of the library (422 naming it). */
export async function assertRequiredTrainingValid(
  store: TenantStore,
  required: RequiredTraining | undefined,
): Promise<void> {
  const ids = allRequired(required);
  if (ids.length === 0) return;
  const found = await store.resources.getMany(ids);
  const errors: FieldError[] = trainingRoles.flatMap((role) =>
    requiredFor(required, role).flatMap((id, i) => {
      const module = found.get(id);
      const problem = !module
        ? 'must be a resource of this organization'
        : !module.trainingModule
          ? 'must be a training module'
          : module.status !== 'active'
            ? 'must not be archived'
            : undefined;
      return problem ? [{ field: `/requiredTraining/${role}/${i}`, message: problem }] : [];
    }),
  );
  if (errors.length)
    throw new InvalidInputError(
      `requiredTraining names ${errors.length} module(s) that cannot be required`,
      errors,
    );
}

/** The ids of the running programs that require the module. */
export async function programsRequiring(store: TenantStore, resourceId: string): Promise<string[]> {
  const programs = await store.programs.withRequiredTraining();
  return programs
    .filter((p) => !finished.includes(p.status) && allRequired(p.requiredTraining).includes(resourceId))
    .map((p) => p.id);
}

export interface TrainingGap {
  personId: string;
  role: TrainingRole;
  missing: string[];
}

/**
 * The enrollments whose person has not completed every module their role requires, with what is
 * missing. Completions are read in batches for all the enrollments at once.
 */
export async function trainingGaps(
  store: TenantStore,
  program: Pick<Program, 'requiredTraining'>,
  enrollments: Pick<Enrollment, 'personId' | 'role'>[],
): Promise<Map<string, TrainingGap>> {
  const gaps = new Map<string, TrainingGap>();
  const pairs = enrollments.flatMap((e) =>
    requiredFor(program.requiredTraining, e.role).map((resourceId) => ({ personId: e.personId, resourceId })),
  );
  if (pairs.length === 0) return gaps;
  const completed = await store.training.completedAmong(pairs);
  for (const { personId, role } of enrollments) {
    const missing = missingTraining(program.requiredTraining, role, personId, completed);
    if (missing.length) gaps.set(personId, { personId, role, missing });
  }
  return gaps;
}
