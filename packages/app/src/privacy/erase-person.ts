import {
  ConflictError,
  domainEvent,
  ERASED_NAME,
  type Erasure,
  erasedEmail,
  erasure,
  type Person,
  person as personSchema,
  type Timer,
} from '@tandem/core';
import { ItemVanishedError, toEntity } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { privacyAreas } from './privacy-areas.ts';
import { loadSubject } from './subject.ts';

const erasable = privacyAreas.filter((area) => area.erase);
const steps = [
  ...erasable.filter((area) => !area.holdsErasedValues),
  ...erasable.filter((area) => area.holdsErasedValues),
];
/**
 * The last step, after every area: the profile itself (whose name, email, ids and career goals
 * are what the areas search for) and the person's identity lookups.
 */
const PROFILE_STEP = 'profile';

/** Profile fields that describe the person rather than their part in programs. */
const ERASED_PROFILE_FIELDS = [
  'title',
  'location',
  'hireDate',
  'timezone',
  'background',
  'externalIds',
] as const;

/**
 * How long after an erasure started the scheduled job finishes it, should the call that started it
 * have stopped mid-way and not been repeated.
 */
export const ERASURE_RESUME_AFTER_MS = 5 * 60 * 1000;

/** The erasure's watchdog: set with its first step, cleared with its last. */
const watchdog = (erasure: Pick<Erasure, 'personId' | 'startedAt'>): Timer => ({
  kind: 'person.erasure',
  subjectId: erasure.personId,
  dueAt: new Date(Date.parse(erasure.startedAt) + ERASURE_RESUME_AFTER_MS).toISOString(),
});

const lostRace = (personId: string) =>
  new ConflictError(`Person ${personId} is being erased by another request; repeat the call`);

/** Page retries when an item vanished under a step (its owner deleted it meanwhile). */
const MAX_PAGE_RETRIES = 3;

/**
 * Erases a person (POST /v1/people/{id}/erasure): pseudonymizes them everywhere, area by area
 * (privacy-areas.ts), each page of rewrites in one transaction with the erasure record's progress,
 * then the profile and its identity lookups with `person.erased`. A call that stopped mid-way
 * (crash, timeout) is finished by repeating it; once completed, a call answers the record and
 * writes nothing.
 */
export async function erasePerson(ctx: TenantContext, personId: string): Promise<Erasure> {
  const { privacy } = ctx.store;
  const stored = await privacy.erasure(personId);
  // A completed erasure answers as it was, even though the person now reads as erased.
  if (stored?.value.status === 'completed') return toEntity(stored.value, erasure);
  const subject = await loadSubject(ctx, personId);

  let record: Erasure = stored
    ? toEntity(stored.value, erasure)
    : {
        personId,
        status: 'running',
        step: steps[0]?.name ?? PROFILE_STEP,
        stepsDone: 0,
        stepsTotal: steps.length + 1,
        itemsRewritten: 0,
        startedAt: ctx.clock().toISOString(),
        version: 0,
      };
  let expected: number | undefined = stored ? record.version : undefined;
  let cursor = stored?.value._cursor as string | undefined;

  while (record.stepsDone < steps.length) {
    const area = steps[record.stepsDone]!;
    for (let attempt = 0; ; attempt++) {
      const page = await area.erase!(ctx, subject, cursor);
      const next: Erasure = {
        ...record,
        step: area.name,
        stepsDone: page.next ? record.stepsDone : record.stepsDone + 1,
        itemsRewritten: record.itemsRewritten + page.ops.length + (page.committed ?? 0),
        version: record.version + 1,
      };
      try {
        await privacy.commitErasureStep(
          personId,
          expected === undefined ? [...page.ops, await ctx.store.timers.setOp(watchdog(record))] : page.ops,
          { ...next, ...(page.next ? { _cursor: page.next } : {}) },
          expected,
          () => lostRace(personId),
        );
      } catch (error) {
        if (error instanceof ItemVanishedError && attempt < MAX_PAGE_RETRIES) continue;
        throw error;
      }
      record = next;
      expected = next.version;
      cursor = page.next;
      break;
    }
  }

  const now = ctx.clock().toISOString();
  const previous = subject.person;
  const erased: Person = personSchema.parse({
    ...Object.fromEntries(
      Object.entries(previous).filter(
        ([field]) => !(ERASED_PROFILE_FIELDS as readonly string[]).includes(field),
      ),
    ),
    name: ERASED_NAME,
    email: erasedEmail(personId),
    careerGoals: [],
    interests: [],
    erasedAt: now,
    updatedAt: now,
    version: previous.version + 1,
  });
  const removed = ERASED_PROFILE_FIELDS.filter((field) => previous[field] !== undefined);
  const done: Erasure = {
    ...record,
    status: 'completed',
    step: PROFILE_STEP,
    stepsDone: record.stepsTotal,
    itemsRewritten: record.itemsRewritten + 1,
    completedAt: now,
    version: record.version + 1,
  };
  await privacy.commitErasureStep(
    personId,
    [
      ...(await ctx.store.people.erasureOps(previous, erased, [...removed])),
      await ctx.store.timers.clearOp(watchdog(record)),
    ],
    done,
    expected,
    () => lostRace(personId),
    domainEvent('person.erased', { personId }),
  );
  return done;
}

/**
 * The scheduled job's part: an erasure whose call stopped mid-way is finished when its watchdog
 * falls due. Finishing clears the timer in the erasure's last transaction; a timer left over from
 * an erasure completed meanwhile is simply removed.
 */
export async function resumeErasure(ctx: TenantContext, timer: Timer): Promise<void> {
  const stored = await ctx.store.privacy.erasure(timer.subjectId);
  if (stored?.value.status === 'completed' || !stored) {
    await ctx.store.timers.complete(timer);
    return;
  }
  await erasePerson(ctx, timer.subjectId);
}
