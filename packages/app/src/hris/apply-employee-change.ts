import {
  ConflictError,
  domainEvent,
  type EmployeeSnapshot,
  fieldErrors,
  newId,
  type Person,
  person,
  stampFieldSources,
} from '@tandem/core';
import type { HrisChangeReads, HrisEmployeeState, HrisLogDraft } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { personEventData } from '../people/person-rules.ts';
import { endEngagements } from '../provisioning/deprovision.ts';
import { effectiveChangeTimer } from './apply-effective-change.ts';
import type { HrisJob } from './ports.ts';
import { hrisWriter, refusalBy } from './precedence.ts';

class StaleChange extends Error {}

const sameSnapshot = (a: EmployeeSnapshot, b: EmployeeSnapshot) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * Merges a change into what the source said before, out-of-order safe: a newer change wins field
 * by field; an older one only fills fields nothing newer stated (an `employee.created` arriving
 * after an update still brings the name and email, a stale update after a termination changes
 * nothing).
 */
export function mergeSnapshots(
  state: HrisEmployeeState | undefined,
  incoming: EmployeeSnapshot,
  sourceUpdatedAt: string,
): { snapshot: EmployeeSnapshot; sourceUpdatedAt: string; newer: boolean } {
  if (!state) return { snapshot: incoming, sourceUpdatedAt, newer: true };
  const newer = sourceUpdatedAt > state.sourceUpdatedAt;
  return newer
    ? { snapshot: { ...state.snapshot, ...incoming }, sourceUpdatedAt, newer }
    : { snapshot: { ...incoming, ...state.snapshot }, sourceUpdatedAt: state.sourceUpdatedAt, newer };
}

/**
 * Applies one queued employee change: merges it into the employee's state, then moves the person
 * there in one transaction with that state (conditional on the state read, so of two racing
 * changes only one lands and the other is retried on it). A termination dated today or earlier
 * makes the person `left` and ends their engagements; a later one waits for its date; `active`
 * after `left` is a rehire.
 */
export async function applyEmployeeChange(
  ctx: TenantContext,
  job: HrisJob,
  /** What the caller read for this change already (`hrisInbox.changeReadsOf`), for the first attempt. */
  readAlready?: HrisChangeReads,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptApply(ctx, job, attempt === 0 ? readAlready : undefined);
    } catch (error) {
      if (!(error instanceof StaleChange) || attempt >= 5) throw error;
    }
  }
}

async function attemptApply(ctx: TenantContext, job: HrisJob, readAlready?: HrisChangeReads): Promise<void> {
  const { store } = ctx;
  const { connectionId, provider } = job;
  const externalId = job.change.snapshot.externalId;
  const logId = newId('hrisLogEntry');
  const log = (draft: Omit<HrisLogDraft, 'eventType' | 'externalId'>) =>
    store.hrisInbox.logOp(connectionId, logId, { eventType: job.eventType, externalId, ...draft });
  const skip = async (reason: string, personId?: string) =>
    store.hrisInbox.commit([await log({ outcome: 'skipped', reason, ...(personId ? { personId } : {}) })]);

  const reads =
    readAlready ??
    (await store.hrisInbox.changeReads(connectionId, provider, externalId, job.change.snapshot.email));
  const refused = refusalBy(reads.source.source, connectionId);
  if (refused) return store.hrisInbox.commit([await log({ outcome: 'ignored', reason: refused })]);

  const { state } = reads;
  const merged = mergeSnapshots(state, job.change.snapshot, job.change.sourceUpdatedAt);
  if (state && sameSnapshot(merged.snapshot, state.snapshot)) {
    await finishDeparture(ctx, state.personId);
    return skip(
      merged.newer ? 'nothing changed' : 'stale: the source sent a newer change already',
      state.personId,
    );
  }

  const current = await findPerson(ctx, provider, reads, merged.snapshot);
  const today = ctx.clock().toISOString().slice(0, 10);
  const { snapshot } = merged;
  const futureTermination =
    snapshot.employment === 'terminated' &&
    snapshot.terminationDate !== undefined &&
    snapshot.terminationDate > today;
  const status =
    snapshot.employment === 'terminated' && !futureTermination
      ? 'left'
      : snapshot.employment === 'active'
        ? 'active'
        : undefined;

  if (!current && (!snapshot.name || !snapshot.email)) {
    // Kept, so that the change that brings the name and email (whatever its order) completes it.
    const personless = { externalId, personId: '', sourceUpdatedAt: merged.sourceUpdatedAt, snapshot };
    return store.hrisInbox.commit([
      await store.hrisInbox.employeeOp(connectionId, state, personless, () => new StaleChange()),
      await log({ outcome: 'skipped', reason: 'not a person yet: waiting for a change with name and email' }),
    ]);
  }

  const managerId = snapshot.managerExternalId
    ? await store.hrisInbox.personIdOf({ system: provider, value: snapshot.managerExternalId })
    : undefined;
  const now = ctx.clock().toISOString();
  const id = current?.id ?? newId('person');
  const base: Record<string, unknown> = current ?? { id, createdAt: now, version: 0 };
  const next: Record<string, unknown> = {
    ...base,
    ...(snapshot.name ? { name: snapshot.name } : {}),
    ...(snapshot.email ? { email: snapshot.email } : {}),
    ...(snapshot.department ? { department: snapshot.department } : {}),
    ...(snapshot.title ? { title: snapshot.title } : {}),
    ...(snapshot.location ? { location: snapshot.location } : {}),
    ...(snapshot.hireDate ? { hireDate: snapshot.hireDate } : {}),
    ...(managerId && managerId !== id ? { managerId } : {}),
    ...(status ? { status } : {}),
    externalIds: { ...(current?.externalIds ?? {}), [provider]: externalId },
    updatedAt: now,
    version: (current?.version ?? 0) + 1,
  };
  next.fieldSources = stampFieldSources(base, next, hrisWriter(connectionId));
  const parsed = person.safeParse(next);
  if (!parsed.success)
    return skip(
      `the employee does not make a valid person: ${fieldErrors(parsed.error)
        .map((e) => `${e.field} ${e.message}`)
        .join('; ')}`,
      current?.id,
    );
  const updated = parsed.data;
  const nextState: HrisEmployeeState = {
    externalId,
    personId: id,
    sourceUpdatedAt: merged.sourceUpdatedAt,
    snapshot,
  };
  const notes = [
    futureTermination
      ? `termination on ${snapshot.terminationDate} is stored and applies on that date`
      : undefined,
    snapshot.managerExternalId && !managerId
      ? `manager ${snapshot.managerExternalId} is not a person here yet`
      : undefined,
    merged.newer ? undefined : 'older than what the source sent before: filled only what that left unsaid',
  ].filter(Boolean);
  const also = [
    ...(futureTermination
      ? [await store.timers.setOp(effectiveChangeTimer(job, id, snapshot.terminationDate!))]
      : []),
    // A people source set since the check above refuses the write; the retry then logs it ignored.
    await store.peopleSource.guardOp(hrisWriter(connectionId), () => new StaleChange()),
    await store.hrisInbox.employeeOp(connectionId, state, nextState, () => new StaleChange()),
    await log({ outcome: 'applied', personId: id, ...(notes.length ? { reason: notes.join('; ') } : {}) }),
  ];
  if (!current) {
    await store.people.create(updated, domainEvent('person.created', personEventData(updated)), also);
  } else {
    const changed = Object.keys(updated).filter(
      (field) =>
        !['updatedAt', 'version'].includes(field) &&
        JSON.stringify((current as Record<string, unknown>)[field]) !==
          JSON.stringify((updated as Record<string, unknown>)[field]),
    );
    if (changed.length === 0) {
      await store.hrisInbox.commit(also);
    } else {
      await store.people
        .update(
          current,
          updated,
          [],
          domainEvent('person.updated', { ...personEventData(updated), changed }),
          also,
        )
        .catch((error: unknown) => {
          if (error instanceof ConflictError) throw error;
          // A person changed through the API meanwhile: read both again.
          throw new StaleChange();
        });
    }
  }
  // The person as just written says whether they left: everyone else needs no second read.
  if (updated.status === 'left') await finishDeparture(ctx, id);
}

/**
 * The person the employee is: the one the state names, the one holding the provider's external
 * id, or one with the email who is not yet linked to this provider (created through the API),
 * whom the HRIS then takes over.
 */
async function findPerson(
  ctx: TenantContext,
  provider: string,
  reads: HrisChangeReads,
  snapshot: EmployeeSnapshot,
): Promise<Person | undefined> {
  const { people, hrisInbox } = ctx.store;
  const byId = reads.state?.personId || reads.byExternalId;
  if (byId) return people.get(byId).catch(() => undefined);
  if (!snapshot.email) return undefined;
  // Read with the change's own email; an email the source stated before is looked up now.
  const byEmail =
    snapshot.email === reads.email ? reads.byEmail : await hrisInbox.personIdOf({ email: snapshot.email });
  if (!byEmail) return undefined;
  const found = await people.get(byEmail);
  return found.externalIds?.[provider] === undefined ? found : undefined;
}

/** A leaver's relationships and enrollments end (idempotent, so a retried job finishes the work). */
export async function finishDeparture(ctx: TenantContext, personId: string) {
  if (!personId) return;
  const current = await ctx.store.people.get(personId).catch(() => undefined);
  if (current?.status === 'left') await endEngagements(ctx, personId);
}
