import {
  assertAwaitingReview,
  ConflictError,
  domainEvent,
  type Enrollment,
  effectiveDecision,
  InvalidInputError,
  type MatchRun,
  type Program,
  type Proposal,
} from '@tandem/core';
import {
  MAX_TRANSACTION_ITEMS,
  type NewRelationship,
  RunNotActiveError,
  relationshipWriteCount,
} from '@tandem/store';
import type { MatchingContext, TenantContext } from '../context.ts';
import { startRelationship } from '../relationships/start-relationship.ts';
import { relationshipOf } from './published-relationships.ts';

export interface PublishOutcome {
  relationships: number;
  skipped: { proposalId: string; reason: string }[];
}

/** Transactions in flight at once: enough to hide round trips, few enough not to throttle a partition. */
const PARALLEL_TRANSACTIONS = 8;
/** Skipped proposals listed on the run item (the count is always complete). */
const LISTED_SKIPS = 100;

type RunRef = Pick<MatchRun, 'id' | 'programId'>;

/**
 * Turns proposals into relationships (active, or pending their agreement as the program says) with their members' seats, so a mentor never exceeds
 * capacity and nobody holds two active relationships in the program, whatever runs concurrently.
 * Proposals go in batches of one transaction each; a batch that a seat refuses is retried one by
 * one, and a proposal that no longer fits (someone withdrew, was matched by hand) is skipped and
 * reported, not forced. A proposal's relationship id derives from the proposal, so one already
 * published (a retried step) is found by its key, counts, and is not redone.
 */
async function publishProposals(
  ctx: TenantContext,
  run: RunRef,
  program: Pick<Program, 'relationships'>,
  proposals: Proposal[],
  active: Enrollment[],
): Promise<PublishOutcome> {
  const { store } = ctx;
  const enrolled = new Map(active.map((e) => [e.personId, e]));
  const outcome: PublishOutcome = { relationships: 0, skipped: [] };
  const entries: { proposalId: string; entry: NewRelationship }[] = [];
  // Every relationship of the run starts at the same instant.
  const at = ctx.clock();
  const surveys = await store.surveys.all(run.programId);
  for (const proposal of proposals) {
    if (proposal.kind === 'unmatched') continue;
    // Published before relationship ids derived from proposals: the proposal holds the pointer.
    if (proposal.relationshipId) {
      outcome.relationships++;
      continue;
    }
    const limits = proposal.members.flatMap((member) => {
      const enrollment = enrolled.get(member.personId);
      return enrollment
        ? [{ personId: member.personId, role: member.role, capacity: enrollment.capacity }]
        : [];
    });
    if (limits.length !== proposal.members.length) {
      outcome.skipped.push({ proposalId: proposal.id, reason: 'a member is no longer enrolled' });
      continue;
    }
    const entry = await startRelationship(
      ctx,
      {
        id: relationshipOf(proposal.id),
        programId: run.programId,
        members: proposal.members,
        ...(proposal.matchSnapshot ? { matchSnapshot: proposal.matchSnapshot } : {}),
        limits,
        score: proposal.score ?? 0,
        explanation: proposal.explanation ?? { contributions: {}, reasons: [] },
        source: 'match_run',
        matchRunId: run.id,
      },
      program,
      surveys,
      at,
    );
    entries.push({ proposalId: proposal.id, entry });
  }

  const batches = inTransactions(entries);
  const publishBatch = async (batch: typeof entries): Promise<void> => {
    let refused: ConflictError;
    try {
      await store.relationships.createMany(batch.map((b) => b.entry));
      outcome.relationships += batch.length;
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      refused = error;
    }
    // Refused: a member no longer fits, or a retried step finds some of the batch published.
    const made = await store.relationships.existing(batch.map((b) => b.entry.value.id));
    const rest = batch.filter((b) => !made.has(b.entry.value.id));
    outcome.relationships += batch.length - rest.length;
    if (rest.length === 0) return;
    if (rest.length < batch.length) return publishBatch(rest);
    if (rest.length === 1) {
      outcome.skipped.push({ proposalId: rest[0]!.proposalId, reason: refused.message });
      return;
    }
    for (const one of rest) await publishBatch([one]);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL_TRANSACTIONS, batches.length) }, async () => {
      while (next < batches.length) await publishBatch(batches[next++]!);
    }),
  );
  return outcome;
}

/**
 * Packs relationships into transactions (each relationship brings its writes and its event; one
 * item stays free for the audit entry), none touching a member twice (a
 * mentor's load counter is one item, and a transaction may not name an item twice).
 */
function inTransactions<T extends { entry: NewRelationship }>(entries: T[]): T[][] {
  const open: { items: number; members: Set<string>; entries: T[] }[] = [];
  for (const entry of entries) {
    const size = relationshipWriteCount(entry.entry) + 1;
    const members = entry.entry.limits.map((l) => l.personId);
    let batch = open.find(
      (b) => b.items + size <= MAX_TRANSACTION_ITEMS && !members.some((m) => b.members.has(m)),
    );
    if (!batch) {
      batch = { items: 0, members: new Set(), entries: [] };
      open.push(batch);
    }
    batch.items += size;
    for (const m of members) batch.members.add(m);
    batch.entries.push(entry);
  }
  return open.map((b) => b.entries);
}

/**
 * An admin's publish: claims the reviewed run (awaiting_review → publishing, so concurrent
 * publishes get a 409 and one publisher does the work), then hands the work to the workflow.
 * The run reports its outcome when it reaches published.
 */
export async function requestPublish(
  ctx: MatchingContext,
  programId: string,
  runId: string,
): Promise<MatchRun> {
  const { store } = ctx;
  const run = await store.matchRuns.get(programId, runId);
  assertAwaitingReview(run);
  if (run.options.dryRun)
    throw new InvalidInputError('A dry run is never published; start a run without dryRun');
  await store.matchRuns.transition(run, ['awaiting_review'], 'publishing', {}, ctx.clock().toISOString());
  try {
    await ctx.workflows.start({
      tenantId: ctx.tenantId,
      programId,
      runId,
      autoPublish: false,
      dryRun: false,
      mode: 'publish',
    });
  } catch (error) {
    // Nothing was published: the run goes back to review, so the admin can publish again.
    await store.matchRuns.transition(run, ['publishing'], 'awaiting_review', {}, ctx.clock().toISOString());
    throw error;
  }
  return store.matchRuns.get(programId, runId);
}

/**
 * The Publish step: publishes the run's approved proposals and closes it (publishing → published,
 * with match.published and the outcome on the run). The program's auto-publish (`auto`) claims the
 * run itself and approves everything not rejected. Safe to run again after a crash: published
 * proposals count and are not redone.
 */
export async function publishRun(
  ctx: TenantContext,
  ref: RunRef,
  options: { auto: boolean },
): Promise<PublishOutcome> {
  const { store } = ctx;
  let run = await store.matchRuns.get(ref.programId, ref.id);
  if (run.status === 'awaiting_review' && options.auto) {
    await store.matchRuns.transition(
      run,
      ['awaiting_review'],
      'publishing',
      { approveAll: true },
      ctx.clock().toISOString(),
    );
    run = await store.matchRuns.get(ref.programId, ref.id);
  }
  if (run.status !== 'publishing') throw new RunNotActiveError(run.id);
  // Both reads grow with the program; neither needs the other.
  const [proposals, active, program] = await Promise.all([
    store.matchRuns.allProposals(run.id),
    store.enrollments.allActive(run.programId),
    store.programs.get(run.programId),
  ]);
  const approved = proposals.filter((p) => effectiveDecision(p, run) === 'approved');
  const outcome = await publishProposals(ctx, run, program, approved, active);
  await store.matchRuns.transition(
    run,
    ['publishing'],
    'published',
    {
      publication: {
        relationships: outcome.relationships,
        skipped: outcome.skipped.length,
        skippedProposals: outcome.skipped.slice(0, LISTED_SKIPS),
      },
    },
    ctx.clock().toISOString(),
    domainEvent('match.published', {
      runId: run.id,
      programId: run.programId,
      relationships: outcome.relationships,
      skipped: outcome.skipped.length,
    }),
  );
  return outcome;
}
