import { S3Client } from '@aws-sdk/client-s3';
import { noSecrets } from '@tandem/store';
import { createMatchingSteps, type RunState, S3BlobStore } from '@tandem/workflows';
import type { Context } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { observedStep } from './observers.ts';
import { platformStores } from './platform-stores.ts';
import { logger, observers, traced } from './powertools.ts';

const env = readEnvironment('matchingStep');
// Matching steps read and write no secret.
const storesFor = await platformStores(env, noSecrets);
const steps = createMatchingSteps({
  storesFor,
  blobs: new S3BlobStore(traced(new S3Client({})), env.MATCHING_BUCKET),
});
const step = observedStep(env.MATCHING_STEP, steps[env.MATCHING_STEP], observers, async (state) => {
  const store = await storesFor(state.tenantId);
  return (await store.matchRuns.get(state.programId, state.runId)).createdAt;
});

/**
 * Every Task state of the matching run: each step's function runs this entry with its own
 * MATCHING_STEP. The state machine passes the RunState in and takes the returned RunState as the
 * state's output; a thrown error is retried or caught by the state machine.
 */
export const handler = (state: RunState, context: Context): Promise<RunState> => {
  logger.addContext(context);
  return step(state);
};
