import { domainEvent, newId, stampFieldSources, type Timer } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { personEventData } from '../people/person-rules.ts';
import { finishDeparture } from './apply-employee-change.ts';
import type { HrisJob } from './ports.ts';
import { hrisWriter, precedenceRefusal } from './precedence.ts';

/** A future-dated termination's timer: due at the start of its date (UTC), one per person. */
export function effectiveChangeTimer(job: HrisJob, personId: string, terminationDate: string): Timer {
  return {
    kind: 'hris.effective_change',
    subjectId: personId,
    dueAt: `${terminationDate}T00:00:00.000Z`,
    data: { connectionId: job.connectionId, externalId: job.change.snapshot.externalId },
  };
}

/**
 * A stored termination's date came: if the source still says so (a later change may have
 * cancelled or moved it), the person leaves, in one transaction with the timer's removal, and
 * their relationships and enrollments end.
 */
export async function applyEffectiveChange(ctx: TenantContext, timer: Timer): Promise<void> {
  const { store } = ctx;
  const connectionId = String(timer.data?.connectionId);
  const externalId = String(timer.data?.externalId);
  const refused = await precedenceRefusal(ctx, connectionId);
  if (refused) {
    await store.timers.complete(timer);
    await store.hrisInbox.commit([
      await store.hrisInbox.logOp(connectionId, newId('hrisLogEntry'), {
        outcome: 'ignored',
        eventType: timer.kind,
        externalId,
        reason: refused,
      }),
    ]);
    return;
  }
  const state = await store.hrisInbox.employee(connectionId, externalId);
  const today = ctx.clock().toISOString().slice(0, 10);
  const { employment, terminationDate } = state?.snapshot ?? {};
  const due = employment === 'terminated' && terminationDate !== undefined && terminationDate <= today;
  const person = due && state ? await store.people.get(state.personId).catch(() => undefined) : undefined;
  if (!person || person.status === 'left') {
    await store.timers.complete(timer);
    if (person) await finishDeparture(ctx, person.id);
    return;
  }
  const left = {
    ...person,
    status: 'left' as const,
    updatedAt: ctx.clock().toISOString(),
    version: person.version + 1,
  };
  const updated = { ...left, fieldSources: stampFieldSources(person, left, hrisWriter(connectionId)) };
  await store.people.update(
    person,
    updated,
    [],
    domainEvent('person.updated', { ...personEventData(updated), changed: ['status'] }),
    [
      await store.peopleSource.guardOp(
        hrisWriter(connectionId),
        () => new Error('The people source changed'),
      ),
      await store.timers.clearOp(timer),
      await store.hrisInbox.logOp(connectionId, newId('hrisLogEntry'), {
        outcome: 'applied',
        eventType: timer.kind,
        externalId,
        personId: person.id,
        reason: `the termination dated ${terminationDate} took effect`,
      }),
    ],
  );
  await finishDeparture(ctx, person.id);
}
