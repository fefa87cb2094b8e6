import { domainEvent, newId, type Program, type ProgramInput } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { programEndTimer } from '../relationships/program-end-timer.ts';
import { assertRequiredTrainingValid } from '../training/required-training.ts';
import { programEventData } from './program-events.ts';

/** A program starts as a draft; with an end date, its relationships are completed when it passes. */
export async function createProgram(ctx: TenantContext, input: ProgramInput): Promise<Program> {
  await assertRequiredTrainingValid(ctx.store, input.requiredTraining);
  const now = ctx.clock().toISOString();
  const value: Program = {
    id: newId('program'),
    ...input,
    status: 'draft',
    activeEnrollments: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const { endDate } = value;
  await ctx.store.programs.create(value, domainEvent('program.created', programEventData(value)), [
    // A new program has no meeting from before the meeting rows: its exports read the rows.
    await ctx.store.meetings.programRowsOp(value.id),
    ...(endDate ? [await ctx.store.timers.setOp(programEndTimer({ id: value.id, endDate }))] : []),
  ]);
  return value;
}
