import * as z from 'zod';
import { isoDateTime } from './common.ts';
import { ConflictError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { matchSnapshot } from './match-snapshot.ts';
import { matchingWeights, programFormats } from './program.ts';

export const matchRunStatuses = [
  'queued',
  'running',
  'awaiting_review',
  'publishing',
  'published',
  'failed',
  'cancelled',
] as const;
export type MatchRunStatus = (typeof matchRunStatuses)[number];

/** A run holds its program's single "active run" slot until it reaches one of these. */
export const terminalRunStatuses: readonly MatchRunStatus[] = ['published', 'failed', 'cancelled'];

export const matchRunInput = z
  .strictObject({
    dryRun: z
      .boolean()
      .default(false)
      .meta({ description: 'Compute and stage proposals, but never publish them' }),
    weights: matchingWeights
      .optional()
      .meta({ description: "Overrides the program's criteria weights for this run" }),
    format: z
      .enum(programFormats)
      .optional()
      .meta({ description: "Solve as this format instead of the program's" }),
    algorithm: z.enum(['optimal', 'stable']).optional().meta({
      description:
        'optimal: maximum total score; stable: honour ranked preferences (Gale–Shapley / stable roommates)',
    }),
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional()
      .meta({ description: 'Same input and seed give the same proposals' }),
  })
  .meta({ id: 'MatchRunInput' });
export type MatchRunInput = z.infer<typeof matchRunInput>;

export const stepProgress = z
  .object({
    step: z.string(),
    status: z.enum(['running', 'succeeded', 'failed']),
    startedAt: isoDateTime,
    finishedAt: isoDateTime.optional(),
  })
  .meta({ id: 'MatchRunStep' });

export const runTotals = z
  .object({
    participants: z.int(),
    proposals: z.int(),
    unmatched: z.int(),
    scoreSum: z.number(),
    meanScore: z.number(),
    shareMatched: z.number(),
    crossDepartmentShare: z.number(),
    fairness: z.number().meta({ description: 'Mean score of the lowest-scored quarter of proposals' }),
    excluded: z
      .int()
      .optional()
      .meta({
        description:
          'Enrollments left out before matching because a program rule excludes them (requiredTraining); ' +
          'each is an unmatched proposal naming the rule, and counts in participants and unmatched',
      }),
  })
  .meta({ id: 'MatchRunTotals' });
export type RunTotals = z.infer<typeof runTotals>;

export const matchRun = z
  .object({
    id: idSchema('matchRun'),
    programId: idSchema('program'),
    status: z.enum(matchRunStatuses),
    options: matchRunInput,
    format: z.enum(programFormats),
    progress: z.array(stepProgress),
    totals: runTotals.optional(),
    solver: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'What the solver reports (optimality proof, stability)' }),
    failure: z
      .object({ step: z.string().optional(), error: z.string(), cause: z.string().optional() })
      .optional(),
    approveAll: z.boolean().optional().meta({
      description:
        'Set by a decision with approve "all": every proposal without an explicit decision counts as approved',
    }),
    publication: z
      .object({
        relationships: z.int().meta({ description: 'Relationships this run created' }),
        skipped: z.int().meta({ description: 'Approved proposals that no longer fit' }),
        skippedProposals: z
          .array(z.object({ proposalId: idSchema('proposal'), reason: z.string() }))
          .meta({ description: 'The first 100 skipped proposals with the reason' }),
      })
      .optional()
      .meta({ description: 'Set when publishing ends (status published)' }),
    executionId: z.string().optional(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    finishedAt: isoDateTime.optional(),
    version: z.int().min(1),
  })
  .meta({ id: 'MatchRun' });
export type MatchRun = z.infer<typeof matchRun>;

export const proposalDecisions = ['pending', 'approved', 'rejected'] as const;

export const explanation = z
  .object({
    contributions: z
      .record(z.string(), z.number())
      .meta({ description: 'Per criterion; they add up to the score' }),
    reasons: z.array(z.string()),
  })
  .meta({ id: 'MatchExplanation' });
export type Explanation = z.infer<typeof explanation>;

export const proposal = z
  .object({
    id: idSchema('proposal'),
    runId: idSchema('matchRun'),
    kind: z.enum(['pair', 'circle', 'unmatched']),
    members: z.array(z.object({ personId: idSchema('person'), role: z.enum(['mentor', 'mentee', 'peer']) })),
    score: z.number().optional(),
    explanation: explanation.optional(),
    matchSnapshot: matchSnapshot.optional().meta({
      description: 'For pairs and circles: what the match brings together, carried onto the relationship',
    }),
    unmatchedReason: z
      .string()
      .optional()
      .meta({ description: 'For kind unmatched: why nobody was proposed' }),
    exclusion: z
      .object({
        rule: z.literal('requiredTraining'),
        missing: z.array(idSchema('resource')).meta({ description: 'The required modules not completed' }),
      })
      .optional()
      .meta({ description: 'For kind unmatched: the program rule that left the enrollment out of the run' }),
    decision: z.enum(proposalDecisions),
    relationshipId: idSchema('relationship').optional().meta({ description: 'Set once published' }),
  })
  .meta({ id: 'Proposal' });
export type Proposal = z.infer<typeof proposal>;

export const proposalDecision = z
  .strictObject({
    approve: z.union([z.literal('all'), z.array(idSchema('proposal')).max(500)]).optional(),
    reject: z.array(idSchema('proposal')).max(500).optional(),
  })
  .refine((d) => d.approve !== undefined || d.reject !== undefined, 'approve or reject something')
  .meta({ id: 'ProposalDecision', minProperties: 1, description: 'Approve or reject something (or both)' });

/** A run can be reviewed and published only while it awaits review. */
export function assertAwaitingReview(run: Pick<MatchRun, 'id' | 'status'>) {
  if (run.status !== 'awaiting_review')
    throw new ConflictError(
      `Run ${run.id} is ${run.status}; only a run awaiting review can be reviewed or published`,
    );
}

export function assertCancellable(run: Pick<MatchRun, 'id' | 'status'>) {
  if (terminalRunStatuses.includes(run.status))
    throw new ConflictError(`Run ${run.id} is already ${run.status}`);
  if (run.status === 'publishing')
    throw new ConflictError(
      `Run ${run.id} is publishing; its relationships can be dissolved once it is published`,
    );
}

/** What a proposal's decision is once the run's "approve all" applies to the undecided ones. */
export function effectiveDecision(
  proposal: Pick<Proposal, 'decision'>,
  run: Pick<MatchRun, 'approveAll'>,
): Proposal['decision'] {
  return proposal.decision === 'pending' && run.approveAll ? 'approved' : proposal.decision;
}

/**
 * The error name a workflow step raises when its run was cancelled or finished meanwhile: the state
 * machine does not retry it and ends in Cancelled (the store's RunNotActiveError carries it).
 */
export const RUN_CANCELLED = 'RunCancelled';

/** The step a run was in when it stopped: the one still running, which failing the run ends. */
export function runningStep(run: Pick<MatchRun, 'progress'>): string | undefined {
  return run.progress.find((p) => p.status === 'running')?.step;
}
