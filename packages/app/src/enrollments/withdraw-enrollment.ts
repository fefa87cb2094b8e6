import { domainEvent, type Enrollment } from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';
import { enrollmentEventData } from './enrollment-rules.ts';

/** Withdraws an enrollment (kept for history) and frees the seat; withdrawing twice is harmless. */
export function withdrawEnrollment(
  ctx: TenantContext,
  programId: string,
  enrollmentId: string,
  precondition: Precondition,
): Promise<Enrollment> {
  const { store } = ctx;
  return readModifyWrite(precondition, async () => {
    const current = await store.enrollments.get(programId, enrollmentId);
    assertVersion(current, precondition);
    if (current.status === 'withdrawn') return current;
    const now = ctx.clock().toISOString();
    await store.enrollments.withdraw(
      current,
      now,
      domainEvent('enrollment.withdrawn', enrollmentEventData(current)),
    );
    return {
      ...current,
      status: 'withdrawn' as const,
      withdrawnAt: now,
      updatedAt: now,
      version: current.version + 1,
    };
  });
}
