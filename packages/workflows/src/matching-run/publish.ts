import {
  ConflictError,
  domainEvent,
  type MatchRun,
  newId,
  type Proposal,
  type Relationship,
} from '@tandem/core';
import type { MemberLimit, TenantStore } from '@tandem/store';
import { activeEnrollments } from './snapshot.ts';

export interface PublishOutcome {
  relationships: string[];
  skipped: { proposalId: string; reason: string }[];
}

/**
 * Turns proposals into active relationships, each in its own transaction with its members'
 * seats, so a mentor never exceeds capacity and nobody holds two active relationships in the
 * program, whatever runs concurrently. A proposal that no longer fits (someone withdrew, was
 * matched by hand meanwhile) is skipped and reported, not forced.
 */
export async function publishProposals(
  store: TenantStore,
  tenantId: string,
  run: Pick<MatchRun, 'id' | 'programId'>,
  proposals: Proposal[],
  now: Date,
): Promise<PublishOutcome> {
  const enrolled = new Map((await activeEnrollments(store, run.programId)).map((e) => [e.personId, e]));
  const outcome: PublishOutcome = { relationships: [], skipped: [] };
  for (const proposal of proposals) {
    if (proposal.kind === 'unmatched' || proposal.relationshipId) continue;
    const limits: MemberLimit[] = [];
    for (const member of proposal.members) {
      const enrollment = enrolled.get(member.personId);
      if (enrollment)
        limits.push({ personId: member.personId, role: member.role, capacity: enrollment.capacity });
    }
    if (limits.length !== proposal.members.length) {
      outcome.skipped.push({ proposalId: proposal.id, reason: 'a member is no longer enrolled' });
      continue;
    }
    const at = now.toISOString();
    const value: Relationship = {
      id: newId('relationship'),
      programId: run.programId,
      members: proposal.members,
      score: proposal.score ?? 0,
      explanation: proposal.explanation ?? { contributions: {}, reasons: [] },
      status: 'active',
      source: 'match_run',
      matchRunId: run.id,
      startedAt: at,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    try {
      await store.relationships.create(
        value,
        limits,
        domainEvent(
          'relationship.started',
          tenantId,
          {
            relationshipId: value.id,
            programId: run.programId,
            personIds: value.members.map((m) => m.personId),
            source: 'match_run',
          },
          now,
        ),
        [store.matchRuns.publishedOp(run.id, proposal.id, value.id)],
      );
      outcome.relationships.push(value.id);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      outcome.skipped.push({ proposalId: proposal.id, reason: error.message });
    }
  }
  return outcome;
}

/** Publishes and closes the run: awaiting_review → published, with match.published. */
export async function publishRun(
  store: TenantStore,
  tenantId: string,
  run: Pick<MatchRun, 'id' | 'programId'>,
  proposals: Proposal[],
  now: Date,
): Promise<PublishOutcome> {
  const outcome = await publishProposals(store, tenantId, run, proposals, now);
  await store.matchRuns.transition(
    run,
    ['awaiting_review'],
    'published',
    {},
    now.toISOString(),
    domainEvent(
      'match.published',
      tenantId,
      {
        runId: run.id,
        programId: run.programId,
        relationships: outcome.relationships.length,
        skipped: outcome.skipped.length,
      },
      now,
    ),
  );
  return outcome;
}
