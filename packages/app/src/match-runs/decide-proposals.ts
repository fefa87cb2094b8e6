import { assertAwaitingReview, type FieldError, InvalidInputError, type Proposal } from '@tandem/core';
import type { TenantContext } from '../context.ts';

export interface Decisions {
  approve?: 'all' | string[] | undefined;
  reject?: string[] | undefined;
}

export interface DecisionOutcome {
  approved: number;
  rejected: number;
  /** Whether every proposal without an explicit decision now counts as approved. */
  approveAll: boolean;
}

/**
 * Approves and rejects proposals of a run under review. Everything is validated before anything
 * is written: an unknown id, an unmatched entry or a proposal named twice refuses the whole
 * request. "approve all" is one update of the run (undecided proposals count as approved), so the
 * request costs the same for 20 proposals as for 20,000. Rejected pairs are never proposed again
 * in this program.
 */
export async function decideProposals(
  ctx: TenantContext,
  programId: string,
  runId: string,
  { approve, reject = [] }: Decisions,
): Promise<DecisionOutcome> {
  const { store } = ctx;
  const run = await store.matchRuns.get(programId, runId);
  assertAwaitingReview(run);
  const approveAll = approve === 'all';
  const approved = approveAll ? [] : (approve ?? []);
  const named = await store.matchRuns.getProposals(runId, [...approved, ...reject]);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const check = (ids: string[], field: string) =>
    ids.forEach((id, i) => {
      const found = named.get(id);
      if (!found || found.kind === 'unmatched')
        errors.push({ field: `/${field}/${i}`, message: `not a pair or circle of run ${runId}` });
      else if (seen.has(id)) errors.push({ field: `/${field}/${i}`, message: 'named twice' });
      seen.add(id);
    });
  check(approved, 'approve');
  check(reject, 'reject');
  if (errors.length)
    throw new InvalidInputError(
      `${errors.length} decision(s) name no proposed pair or circle of this run`,
      errors,
    );
  const decisions = [
    ...approved.map((id) => ({ proposal: named.get(id) as Proposal, decision: 'approved' as const })),
    ...reject.map((id) => ({ proposal: named.get(id) as Proposal, decision: 'rejected' as const })),
  ];
  await store.matchRuns.decide(run, decisions, { approveAll, now: ctx.clock().toISOString() });
  return { approved: approved.length, rejected: reject.length, approveAll: approveAll || !!run.approveAll };
}
