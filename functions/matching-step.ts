import { S3Client } from '@aws-sdk/client-s3';
import { CursorCodec, createDocumentClient, createDynamoClient, tenantStore } from '@tandem/store';
import { createMatchingSteps, type RunState, S3BlobStore } from '@tandem/workflows/runtime';
import { readEnvironment, readSecret } from './config.ts';

const env = readEnvironment('matchingStep');
const db = { doc: createDocumentClient(createDynamoClient()), tableName: env.TABLE_NAME };
const cursors = new CursorCodec(await readSecret(env.CURSOR_SECRET_ARN));
// Steps are started by the state machine, never by a tenant's request, so they use platform access
// (like the webhook workers); each step still builds its repositories for the run's own tenant.
const steps = createMatchingSteps({
  storesFor: (tenantId) => tenantStore({ tenant: db, platform: db }, tenantId, cursors),
  blobs: new S3BlobStore(new S3Client({}), env.MATCHING_BUCKET),
});
const step = steps[env.MATCHING_STEP];

/**
 * Every Task state of the matching run: each step's function runs this entry with its own
 * MATCHING_STEP. The state machine passes the RunState in and takes the returned RunState as the
 * state's output; a thrown error is retried or caught by the state machine.
 */
export const handler = (state: RunState): Promise<RunState> => step(state);
