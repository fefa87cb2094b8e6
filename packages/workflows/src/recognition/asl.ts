import { synthesizeAsl } from '../asl.ts';
import { recognitionSteps } from './contract.ts';
import { recognitionDefinition } from './definition.ts';

/** The recognition workflow's ASL, as the infra stack deploys it (see synthesizeAsl). */
export const synthesizeRecognitionAsl = (): object =>
  synthesizeAsl('Recognition', recognitionSteps, recognitionDefinition);
