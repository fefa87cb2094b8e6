import {
  failMatchRun,
  loadSnapshot,
  publishRun,
  stageRun,
  type TenantContext,
  type TrainingGap,
  toMatchingInput,
} from '@tandem/app';
import {
  derivedId,
  type MatchedProfile,
  type Proposal,
  takeMatchSnapshot,
  trainingIncompleteDetail,
} from '@tandem/core';
import {
  type CandidateChunk,
  type CandidateSample,
  candidateChunkRanges,
  type MatchingResult,
  runMatching,
  sampleCandidatePrices,
  scoreCandidateChunk,
} from '@tandem/matching';
import { type Clock, RunNotActiveError, type TenantStore, withAudit } from '@tandem/store';
import type { BlobStore, MatchingStep, RowRange, RunState, StepHandlers } from './contract.ts';

export interface StepDeps {
  /** The tenant's repositories, on the given clock (events and entities are stamped by it). */
  storesFor: (tenantId: string, clock: Clock) => TenantStore | Promise<TenantStore>;
  blobs: BlobStore;
  now?: () => Date;
  /** Rows per ScoreChunk task; programs with no more rows select candidates inside Solve. */
  chunkRows?: number;
  /**
   * Mentees from which Snapshot solves a sample whose prices every chunk selects under, as Solve
   * would select alone (default the matching engine's own threshold); tests lower it.
   */
  sampleFrom?: number;
}

/** Rows per chunk: the map runs ten chunks at once, and smaller programs are not worth the extra blobs. */
export const defaultChunkRows = 5000;

type InputBlob = { input: ReturnType<typeof toMatchingInput>; sample?: CandidateSample | null };

const blobKey = (state: RunState, name: string) =>
  `${state.tenantId}/${state.programId}/${state.runId}/${name}.json`;

/**
 * Turns the solver's result into the proposals an admin reviews; ids derive from the run. The
 * enrollments a program rule left out before solving (`excluded`) are unmatched proposals that
 * name the rule and what is missing. Pairs and circles carry the snapshot of their members'
 * profiles as the run matched them (`profiles`), which publishing puts on the relationship.
 */
export function toProposals(
  runId: string,
  result: MatchingResult,
  roles: Map<string, 'mentor' | 'mentee' | 'peer'>,
  excluded: TrainingGap[] = [],
  profiles: Map<string, MatchedProfile> = new Map(),
): Proposal[] {
  const member = (personId: string) => ({ personId, role: roles.get(personId) ?? 'peer' });
  const snapshotOf = (personIds: string[]) => {
    const matched = personIds.map((id) => profiles.get(id));
    return matched.every((p) => p !== undefined) ? { matchSnapshot: takeMatchSnapshot(matched) } : {};
  };
  const proposals: Proposal[] = [];
  const next = () => derivedId('proposal', runId, proposals.length);
  for (const pair of result.pairs)
    proposals.push({
      id: next(),
      runId,
      kind: 'pair',
      members: [member(pair.a), member(pair.b)],
      score: pair.score,
      explanation: { contributions: { ...pair.contributions }, reasons: pair.reasons },
      ...snapshotOf([pair.a, pair.b]),
      decision: 'pending',
    });
  for (const group of result.groups)
    proposals.push({
      id: next(),
      runId,
      kind: 'circle',
      members: group.members.map(member),
      score: group.score,
      explanation: { contributions: {}, reasons: group.reasons },
      ...snapshotOf(group.members),
      decision: 'pending',
    });
  for (const unmatched of result.unmatched)
    proposals.push({
      id: next(),
      runId,
      kind: 'unmatched',
      members: [member(unmatched.id)],
      unmatchedReason: `${unmatched.reason}: ${unmatched.detail}`,
      decision: 'pending',
    });
  for (const gap of excluded)
    proposals.push({
      id: next(),
      runId,
      kind: 'unmatched',
      members: [{ personId: gap.personId, role: gap.role }],
      unmatchedReason: `training_incomplete: ${trainingIncompleteDetail(gap.role, gap.missing)}`,
      exclusion: { rule: 'requiredTraining', missing: gap.missing },
      decision: 'pending',
    });
  return proposals;
}

/**
 * The logic of each Task state of the matching-run state machine. Each step records its own
 * progress on the run item (the source of truth the API reads) and passes only the reference on;
 * the snapshot and the solver's result go through the blob store.
 */
export function createMatchingSteps(deps: StepDeps): StepHandlers {
  const handlers = stepHandlers(deps);
  // Steps run without a request: what they write is the matching run's, audited as the system's.
  return Object.fromEntries(
    Object.entries(handlers).map(([step, handler]) => [
      step,
      (state: RunState) =>
        withAudit({ actor: { kind: 'system', id: 'matching-run' }, operation: `matchingRun.${step}` }, () =>
          handler(state),
        ),
    ]),
  ) as StepHandlers;
}

function stepHandlers(deps: StepDeps): StepHandlers {
  const now = () => deps.now?.() ?? new Date();
  const contextOf = async (state: RunState): Promise<TenantContext> => ({
    tenantId: state.tenantId,
    store: await deps.storesFor(state.tenantId, now),
    clock: now,
  });

  /** Wraps a step with its progress entries; a cancelled run stops the workflow (RunCancelled). */
  const tracked =
    (step: MatchingStep, work: (state: RunState, store: TenantStore) => Promise<RunState>) =>
    async (state: RunState) => {
      const { store } = await contextOf(state);
      await store.matchRuns.step(state.programId, state.runId, step, 'running', now().toISOString());
      const next = await work(state, store);
      await store.matchRuns.step(state.programId, state.runId, step, 'succeeded', now().toISOString());
      return next;
    };
  const chunkRows = deps.chunkRows ?? defaultChunkRows;
  const chunkKey = (state: RunState, range: RowRange) =>
    blobKey(state, `candidates-${range.from}-${range.to}`);

  return {
    snapshot: tracked('snapshot', async (state, store) => {
      const run = await store.matchRuns.get(state.programId, state.runId);
      const snapshot = await loadSnapshot(store, run, now());
      const input = toMatchingInput(snapshot);
      const ranges = candidateChunkRanges(input, chunkRows);
      const chunked = ranges.length > 1;
      const sampleFrom = deps.sampleFrom === undefined ? {} : { sampleFrom: deps.sampleFrom };
      await deps.blobs.putJson(blobKey(state, 'input'), {
        input,
        sample: chunked ? sampleCandidatePrices(input, sampleFrom) : null,
        roles: Object.fromEntries(snapshot.enrollments.map((e) => [e.personId, e.role])),
        excluded: snapshot.excluded,
      });
      return { ...state, chunks: chunked ? ranges : [] };
    }),

    /** One range of the Score map; the first to start marks the score step running, Solve ends it. */
    async scoreChunk(state) {
      const range = state.chunk;
      if (!range) throw new Error('ScoreChunk needs the chunk the map hands it');
      const { store } = await contextOf(state);
      if (range.from === 0)
        await store.matchRuns.step(state.programId, state.runId, 'score', 'running', now().toISOString());
      else {
        const run = await store.matchRuns.get(state.programId, state.runId);
        if (run.status !== 'running') throw new RunNotActiveError(run.id);
      }
      const { input, sample } = await deps.blobs.getJson<InputBlob>(blobKey(state, 'input'));
      await deps.blobs.putJson(
        chunkKey(state, range),
        scoreCandidateChunk(input, range.from, range.to, sample ?? null),
      );
      return state;
    },

    solve: tracked('solve', async (state, store) => {
      const chunks = state.chunks ?? [];
      const [{ input, sample }, candidateChunks] = await Promise.all([
        deps.blobs.getJson<InputBlob>(blobKey(state, 'input')),
        Promise.all(chunks.map((range) => deps.blobs.getJson<CandidateChunk>(chunkKey(state, range)))),
      ]);
      if (chunks.length > 0)
        await store.matchRuns.step(state.programId, state.runId, 'score', 'succeeded', now().toISOString());
      await deps.blobs.putJson(
        blobKey(state, 'result'),
        runMatching(input, chunks.length > 0 ? { candidateChunks, candidateSample: sample ?? null } : {}),
      );
      return state;
    }),

    /** Not `tracked`: it ends its step in the same write that moves the run to awaiting_review. */
    async stage(state) {
      const [{ input, roles, excluded = [] }, result] = await Promise.all([
        deps.blobs.getJson<
          InputBlob & { roles: Record<string, 'mentor' | 'mentee' | 'peer'>; excluded?: TrainingGap[] }
        >(blobKey(state, 'input')),
        deps.blobs.getJson<MatchingResult>(blobKey(state, 'result')),
      ]);
      const proposals = toProposals(
        state.runId,
        result,
        new Map(Object.entries(roles)),
        excluded,
        new Map(input.participants.map((p) => [p.id, p])),
      );
      await stageRun(
        await contextOf(state),
        state,
        proposals,
        {
          participants: result.totals.participants + excluded.length,
          proposals: proposals.filter((p) => p.kind !== 'unmatched').length,
          unmatched: result.unmatched.length + excluded.length,
          scoreSum: result.totals.sumScore,
          meanScore: result.totals.meanScore,
          shareMatched: result.totals.matchedShare,
          crossDepartmentShare: result.totals.crossDepartmentShare,
          fairness: result.totals.fairness,
          ...(excluded.length ? { excluded: excluded.length } : {}),
        },
        { ...result.solver },
      );
      return state;
    },

    /** An admin's publish (mode publish) of a claimed run, or the program's auto-publish. */
    async publish(state) {
      await publishRun(
        await contextOf(state),
        { id: state.runId, programId: state.programId },
        { auto: state.mode !== 'publish' },
      );
      return state;
    },

    /** Records why the run failed, unless it was cancelled or finished meanwhile. */
    async recordFailure(state) {
      await failMatchRun(await contextOf(state), state, {
        error: state.error?.Error ?? 'Error',
        cause: state.error?.Cause ? causeOf(state.error.Cause) : undefined,
      });
      return state;
    },
  };
}

/** Step Functions puts the Lambda error in Cause as JSON ({ errorMessage, ... }); keep the message. */
function causeOf(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return (parsed.errorMessage ?? cause).slice(0, 1000);
  } catch {
    return cause.slice(0, 1000);
  }
}
