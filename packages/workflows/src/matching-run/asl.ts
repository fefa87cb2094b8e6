import { synthesizeAsl } from '../asl.ts';
import { matchingSteps } from './contract.ts';
import { matchingRunDefinition } from './definition.ts';

/** The matching run's ASL, as the infra stack deploys it (see synthesizeAsl). */
export const synthesizeMatchingAsl = (): object =>
  synthesizeAsl('MatchingRun', matchingSteps, matchingRunDefinition);
