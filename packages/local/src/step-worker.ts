/**
 * The worker thread that runs matching steps for `npm start`, so a solve never blocks the thread
 * that serves the API. It builds the same step handlers the Lambda functions run, on its own
 * DynamoDB client, and answers one message per step call.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CursorCodec, createDocumentClient, createDynamoClient, noSecrets } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { createMatchingSteps, FolderBlobStore, type MatchingStep, type RunState } from '@tandem/workflows';
import type { StepCall, StepReply, StepWorkerConfig } from './worker-steps.ts';

const config = workerData as StepWorkerConfig;
const db = {
  doc: createDocumentClient(createDynamoClient({ endpoint: config.endpoint })),
  tableName: config.tableName,
};
const cursors = new CursorCodec(config.cursorSecret);
const steps = createMatchingSteps({
  // Matching steps read and write no secret.
  storesFor: (tenantId, clock) =>
    tenantStore({ tenant: db, platform: db, sealer: noSecrets }, tenantId, cursors, clock),
  blobs: new FolderBlobStore(config.blobDir),
  ...(config.chunkRows ? { chunkRows: config.chunkRows } : {}),
  ...(config.sampleFrom !== undefined ? { sampleFrom: config.sampleFrom } : {}),
});

parentPort?.on('message', async ({ id, step, state }: StepCall) => {
  let reply: StepReply;
  try {
    reply = { id, state: await steps[step as MatchingStep](state as RunState) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id, error: { name: e.name, message: e.message } };
  }
  parentPort?.postMessage(reply);
});
