import { type Criterion, type CriterionWeights, criteria, MatchingInputError } from './types.ts';

/**
 * Defaults favour what a mentoring pair is for (growing skills, shared direction), then the
 * cross-team and diversity goals of the program, then logistics and seniority fit.
 */
export const defaultWeights: Readonly<CriterionWeights> = Object.freeze({
  skills: 0.35,
  goals: 0.2,
  crossFunctional: 0.15,
  diversity: 0.1,
  practical: 0.1,
  experience: 0.1,
});

export function normalizeWeights(weights: Partial<CriterionWeights> | undefined): CriterionWeights {
  const merged = { ...defaultWeights } as CriterionWeights;
  for (const criterion of criteria) {
    const value = weights?.[criterion];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0)
      throw new MatchingInputError(`weight ${criterion} must be a finite number ≥ 0`);
    merged[criterion] = value;
  }
  const sum = criteria.reduce((total, criterion: Criterion) => total + merged[criterion], 0);
  if (sum <= 0) throw new MatchingInputError('at least one criterion weight must be positive');
  for (const criterion of criteria) merged[criterion] /= sum;
  return merged;
}

/** Weights in criterion order, for the scoring loops. */
export function weightVector(weights: CriterionWeights): Float64Array {
  return Float64Array.from(criteria, (c: Criterion) => weights[c]);
}
