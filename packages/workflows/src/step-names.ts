/**
 * The Task states' names of both workflows, for what only needs to name a step (the functions'
 * environment check): a module of its own, so that importing them bundles none of the steps.
 */
export { matchingSteps } from './matching-run/contract.ts';
export { recognitionSteps } from './recognition/contract.ts';
