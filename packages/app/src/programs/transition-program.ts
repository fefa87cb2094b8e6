import { assertTransition, domainEvent, type Program, type ProgramStatus } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/** Moves a program through its lifecycle (the allowed moves are core's). */
export function transitionProgram(
  ctx: TenantContext,
  programId: string,
  to: ProgramStatus,
  precondition: Precondition,
): Promise<Program> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = await store.programs.get(programId);
    assertVersion(current, precondition);
    assertTransition(current, to);
    const now = ctx.clock().toISOString();
    await store.programs.transition(
      current,
      to,
      now,
      domainEvent('program.status_changed', { programId, from: current.status, to }),
    );
    return { ...current, status: to, updatedAt: now, version: current.version + 1 };
  });
}
