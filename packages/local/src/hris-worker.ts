/**
 * The worker thread that applies queued HRIS changes for `npm start` (the worker Lambda's role),
 * so applying never holds up the thread that acknowledges deliveries. It runs the same local HRIS
 * worker as the tests do, on its own DynamoDB client that steps aside for the API's operations.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentClient, createDynamoClient } from '@tandem/store';
import { DbPriority } from './db-priority.ts';
import { createLocalHris } from './hris-runtime.ts';
import type { HrisThreadConfig, HrisThreadMessage, HrisThreadReport } from './hris-thread.ts';
import { localDeliveryPolicy } from './webhook-policy.ts';

const config = workerData as HrisThreadConfig;
const report = (message: HrisThreadReport) => parentPort?.postMessage(message);
const client = DbPriority.sharedWith(config.priority).backgroundOf(
  createDynamoClient({ endpoint: config.endpoint }),
  config.inFlight,
);
const hris = createLocalHris({
  db: { doc: createDocumentClient(client), tableName: config.tableName },
  cursorSecret: config.cursorSecret,
  ...(config.queueName ? { queueName: config.queueName } : {}),
  urlPolicy: localDeliveryPolicy(process.env),
  onError: (error) => {
    const e = error instanceof Error ? error : new Error(String(error));
    report({ type: 'error', error: { name: e.name, message: e.message, stack: e.stack } });
  },
});
hris.start();

parentPort?.on('message', async (message: HrisThreadMessage) => {
  if (message.type === 'wake') return hris.wake();
  await hris.stop();
  client.destroy();
  report({ type: 'stopped' });
});
