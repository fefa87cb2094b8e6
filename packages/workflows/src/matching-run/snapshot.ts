import type { Enrollment, MatchRun, Person } from '@tandem/core';
import type { Page, PageRequest, TenantStore } from '@tandem/store';
import type { ProgramSnapshot } from './participants.ts';

/** Every item of a paged list. */
export async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Loads people by id, in parallel batches, following managers upward for reporting lines. */
async function loadPeople(store: TenantStore, ids: string[]): Promise<Map<string, Person>> {
  const people = new Map<string, Person>();
  let pending = [...new Set(ids)];
  for (let depth = 0; pending.length && depth < 20; depth++) {
    const loaded: Person[] = [];
    for (let i = 0; i < pending.length; i += 25)
      loaded.push(
        ...(
          await Promise.all(pending.slice(i, i + 25).map((id) => store.people.get(id).catch(() => undefined)))
        ).filter((p): p is Person => p !== undefined),
      );
    for (const person of loaded) people.set(person.id, person);
    pending = [
      ...new Set(loaded.map((p) => p.managerId).filter((id): id is string => !!id && !people.has(id))),
    ];
  }
  return people;
}

export async function activeEnrollments(store: TenantStore, programId: string): Promise<Enrollment[]> {
  return allPages((page) => store.enrollments.list(programId, { status: 'active' }, page));
}

/** Everything a run matches on, read once at its start: later edits do not change a run under way. */
export async function loadSnapshot(
  store: TenantStore,
  run: Pick<MatchRun, 'programId' | 'options' | 'format'>,
  now: Date,
): Promise<ProgramSnapshot> {
  const [program, enrollments, rejectedPairs, previousPartners] = await Promise.all([
    store.programs.get(run.programId),
    activeEnrollments(store, run.programId),
    store.matchRuns.rejectedPairs(run.programId),
    store.relationships.partnersInProgram(run.programId),
  ]);
  const people = await loadPeople(
    store,
    enrollments.map((e) => e.personId),
  );
  return { program, run, enrollments, people, rejectedPairs, previousPartners, now };
}
