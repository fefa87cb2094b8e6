import type { MatchRun, Person } from '@tandem/core';
import type { TenantStore } from '@tandem/store';
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

/** Everything a run matches on, read once at its start: later edits do not change a run under way. */
export async function loadSnapshot(
  store: TenantStore,
  run: Pick<MatchRun, 'programId' | 'options' | 'format'>,
  now: Date,
): Promise<ProgramSnapshot> {
  const [program, enrollments, rejectedPairs, previousPartners] = await Promise.all([
    store.programs.get(run.programId),
    store.enrollments.allActive(run.programId),
    store.matchRuns.rejectedPairs(run.programId),
    store.relationships.partnersInProgram(run.programId),
  ]);
  const people = await loadPeople(
    store,
    enrollments.map((e) => e.personId),
  );
  return { program, run, enrollments, people, rejectedPairs, previousPartners, now };
}
