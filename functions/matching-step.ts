import { S3Client } from '@aws-sdk/client-s3';
import { createMatchingSteps, type RunState, S3BlobStore } from '@tandem/workflows';
import { readEnvironment } from './config.ts';
import { platformStores } from './platform-stores.ts';

const env = readEnvironment('matchingStep');
const steps = createMatchingSteps({
  storesFor: await platformStores(env),
  blobs: new S3BlobStore(new S3Client({}), env.MATCHING_BUCKET),
});
const step = steps[env.MATCHING_STEP];

/**
 * Every Task state of the matching run: each step's function runs this entry with its own
 * MATCHING_STEP. The state machine passes the RunState in and takes the returned RunState as the
 * state's output; a thrown error is retried or caught by the state machine.
 */
export const handler = (state: RunState): Promise<RunState> => step(state);
