import {
  ConflictError,
  InvalidInputError,
  type MatchSnapshot,
  type Program,
  REQUIRED_TRAINING_RULE,
  type Relationship,
  takeMatchSnapshot,
  trainingIncompleteDetail,
} from '@tandem/core';
import { compileProgram, explainPair } from '@tandem/matching';
import type { MemberLimit, TenantStore } from '@tandem/store';
import { toMatchingInput } from '../match-runs/matching-input.ts';
import { loadPeople } from '../match-runs/snapshot.ts';
import { trainingGaps } from '../training/required-training.ts';

export interface ScoredMatch {
  program: Program;
  members: Relationship['members'];
  limits: MemberLimit[];
  score: number;
  explanation: Relationship['explanation'];
  /** What the match brings together, from the members' profiles as they are now. */
  matchSnapshot: MatchSnapshot;
}

/**
 * Scores and explains a match an admin makes by hand, under the same hard rules as a run:
 * a pair that a rule forbids is refused with that rule. A circle needs every pair allowed; its
 * score is the mean of its pairs. A pair's score depends only on its two members, so only the
 * members (and their reporting lines) are read and compiled, never the whole program.
 */
export async function scoreMatch(
  store: TenantStore,
  programId: string,
  personIds: string[],
  now: Date,
): Promise<ScoredMatch> {
  const [program, enrolled] = await Promise.all([
    store.programs.get(programId),
    store.enrollments.activeOf(programId, personIds),
  ]);
  const notEnrolled = personIds.flatMap((id, i) =>
    enrolled.has(id) ? [] : [{ field: `/personIds/${i}`, message: 'not actively enrolled in this program' }],
  );
  if (notEnrolled.length)
    throw new InvalidInputError(
      `${notEnrolled.length} of the people have no active enrollment in program ${programId}`,
      notEnrolled,
    );
  if (program.format !== 'circles' && personIds.length !== 2)
    throw new InvalidInputError(`A ${program.format} relationship has exactly two members`, [
      { field: '/personIds', message: 'must name exactly two people' },
    ]);
  const gaps = await trainingGaps(
    store,
    program,
    personIds.map((id) => enrolled.get(id)!),
  );
  if (gaps.size)
    throw new ConflictError(
      `Rule ${REQUIRED_TRAINING_RULE}: ${gaps.size} of the people have not completed their required training`,
      personIds.flatMap((id, i) => {
        const gap = gaps.get(id);
        return gap
          ? [{ field: `/personIds/${i}`, message: trainingIncompleteDetail(gap.role, gap.missing) }]
          : [];
      }),
    );
  const pairsOfMembers = personIds.flatMap((a, i) =>
    personIds.slice(i + 1).map((b) => [a, b] as [string, string]),
  );
  const [people, rejectedPairs, previousPartners] = await Promise.all([
    loadPeople(store, personIds),
    store.matchRuns.rejectedAmong(programId, pairsOfMembers),
    store.relationships.partnersOf(programId, personIds),
  ]);
  const input = toMatchingInput({
    program,
    run: { options: { dryRun: false }, format: program.format },
    enrollments: personIds.map((id) => enrolled.get(id)!),
    people,
    rejectedPairs,
    previousPartners,
    now,
  });
  const compiled = compileProgram(input);
  const contributions: Record<string, number> = {};
  const reasons: string[] = [];
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < personIds.length; i++)
    for (let j = i + 1; j < personIds.length; j++) {
      const explained = explainPair(compiled, personIds[i]!, personIds[j]!);
      if (!explained.allowed)
        throw new InvalidInputError(
          `${personIds[i]} and ${personIds[j]} cannot be matched: ${explained.exclusions.map((e) => e.message).join('; ')}`,
          [{ field: '/personIds', message: explained.exclusions.map((e) => e.rule).join(', ') }],
        );
      total += explained.score;
      pairs++;
      for (const [criterion, value] of Object.entries(explained.contributions))
        contributions[criterion] = (contributions[criterion] ?? 0) + value;
      for (const reason of explained.reasons) if (!reasons.includes(reason)) reasons.push(reason);
    }
  for (const criterion of Object.keys(contributions)) contributions[criterion]! /= pairs;
  const memberList = personIds.map((personId) => ({ personId, role: enrolled.get(personId)!.role }));
  return {
    program,
    members: memberList,
    limits: memberList.map((m) => ({ ...m, capacity: enrolled.get(m.personId)!.capacity })),
    score: total / pairs,
    explanation: { contributions, reasons: reasons.slice(0, 5) },
    matchSnapshot: takeMatchSnapshot(input.participants),
  };
}
