import type { Totals } from './types.ts';

/**
 * Run-level figures an admin can compare across runs. Fairness is the mean score of the
 * lowest-scored quarter of matches, so a run that leaves a few people with poor partners shows it.
 */
export function computeTotals(
  scores: readonly number[],
  crossDepartment: { spanning: number; pairs: number },
  matchedParticipants: number,
  eligibleParticipants: number,
  participants: number,
): Totals {
  const sumScore = scores.reduce((total, s) => total + s, 0);
  const sorted = [...scores].sort((x, y) => x - y);
  const quarter = sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 4)));
  return {
    matches: scores.length,
    participants,
    sumScore,
    meanScore: scores.length === 0 ? 0 : sumScore / scores.length,
    matchedShare: eligibleParticipants === 0 ? 0 : matchedParticipants / eligibleParticipants,
    crossDepartmentShare: crossDepartment.pairs === 0 ? 0 : crossDepartment.spanning / crossDepartment.pairs,
    fairness: scores.length === 0 ? 0 : quarter.reduce((total, s) => total + s, 0) / quarter.length,
  };
}
