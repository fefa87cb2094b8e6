import { S3Client } from '@aws-sdk/client-s3';
import { CertificateLinks, noSecrets } from '@tandem/store';
import { createRecognitionSteps, type RecognitionState, S3BlobStore } from '@tandem/workflows';
import type { Context } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { platformStores } from './platform-stores.ts';
import { logger, traced } from './powertools.ts';
import { rotatingSecret } from './secrets.ts';

const env = readEnvironment('recognitionStep');
// Recognition steps read and write no secret.
const storesFor = await platformStores(env, noSecrets);
// Links are signed with the secret's value to issue; refreshed before each step, as the API does.
const secret = await rotatingSecret(env.CURSOR_SECRET_ARN);
const steps = createRecognitionSteps({
  storesFor,
  blobs: new S3BlobStore(traced(new S3Client({})), env.CERTIFICATE_BUCKET),
  links: new CertificateLinks(() => secret.values()),
  publicUrl: env.PUBLIC_API_URL,
});
const step = steps[env.RECOGNITION_STEP];

/**
 * Every Task state of the recognition workflow: each step's function runs this entry with its own
 * RECOGNITION_STEP. The state machine passes the state in and takes the returned state as the
 * state's output; a thrown error is retried or caught by the state machine.
 */
export const handler = async (state: RecognitionState, context: Context): Promise<RecognitionState> => {
  logger.addContext(context);
  await secret.fresh();
  const ids = { tenantId: state.tenantId, awardId: state.awardId, step: env.RECOGNITION_STEP };
  try {
    const next = await step(state);
    logger.info('recognition step succeeded', ids);
    return next;
  } catch (error) {
    logger.warn('recognition step failed', { ...ids, error: error as Error });
    throw error;
  }
};
