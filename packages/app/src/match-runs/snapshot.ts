import type { MatchRun, Person } from '@tandem/core';
import type { TenantStore } from '@tandem/store';
import { type TrainingGap, trainingGaps } from '../training/required-training.ts';
import type { ProgramSnapshot } from './matching-input.ts';

/** Reporting lines deeper than this are cut: a cycle or a runaway chain must not stall a run. */
const MAX_MANAGER_DEPTH = 20;

/**
 * Loads people by id in batched reads, following managers upward for reporting lines. A read
 * that fails fails the load with its cause: a person is never silently left out of matching.
 * Enrolled people that do not exist are reported by the caller (toMatchingInput).
 */
export async function loadPeople(store: TenantStore, ids: string[]): Promise<Map<string, Person>> {
  const people = new Map<string, Person>();
  let pending = [...new Set(ids)];
  for (let depth = 0; pending.length && depth < MAX_MANAGER_DEPTH; depth++) {
    const loaded = await store.people.getMany(pending);
    for (const person of loaded.values()) people.set(person.id, person);
    pending = [
      ...new Set(
        [...loaded.values()].map((p) => p.managerId).filter((id): id is string => !!id && !people.has(id)),
      ),
    ];
  }
  return people;
}

/** A run's snapshot, and the enrollments a program rule left out of it (required training not complete). */
export interface RunSnapshot extends ProgramSnapshot {
  excluded: TrainingGap[];
}

/**
 * Everything a run matches on, read once at its start: later edits do not change a run under way.
 * Enrollments whose person has not completed their role's required training are left out of the
 * pool and returned as `excluded`, for the run's report.
 */
export async function loadSnapshot(
  store: TenantStore,
  run: Pick<MatchRun, 'programId' | 'options' | 'format'>,
  now: Date,
): Promise<RunSnapshot> {
  const [program, active, rejectedPairs, previousPartners] = await Promise.all([
    store.programs.get(run.programId),
    store.enrollments.allActive(run.programId),
    store.matchRuns.rejectedPairs(run.programId),
    store.relationships.partnersInProgram(run.programId),
  ]);
  const gaps = await trainingGaps(store, program, active);
  const enrollments = active.filter((e) => !gaps.has(e.personId));
  const people = await loadPeople(
    store,
    enrollments.map((e) => e.personId),
  );
  return {
    program,
    run,
    enrollments,
    people,
    rejectedPairs,
    previousPartners,
    now,
    excluded: [...gaps.values()],
  };
}
