import { CursorCodec, type Cursors, noSecrets, type SecretSealer, webhookStore } from '@tandem/store';
import { type DeliveryQueue, isRecoveryJob, type QueueJob } from '@tandem/webhooks';
import { lazy } from './lazy.ts';
import { platformDb } from './platform-db.ts';

/**
 * Relaying an event and attempting a delivery page through no list: the relay reads all of a
 * tenant's endpoints at once, an attempt reads its delivery and its endpoint by key. So these
 * read no cursor secret at their cold start, and a cursor asked of them is a wiring error.
 */
const noCursors: Cursors = {
  encode: () => {
    throw new Error('This function pages through no list, so it has no cursor secret');
  },
  decode: () => {
    throw new Error('This function pages through no list, so it has no cursor secret');
  },
};

/**
 * The relay's wiring: each tenant's webhook repositories (only those, which keeps the other
 * repositories out of its bundle) and the delivery queue.
 */
export function relayWiring(env: { TABLE_NAME: string }, queue: DeliveryQueue) {
  const db = platformDb(env);
  // The relay signs nothing: it reads endpoints without their secrets.
  return { storesFor: (tenantId: string) => webhookStore(db, tenantId, noCursors, noSecrets), queue };
}

/**
 * The delivery function's: the same, but a recovery job pages through the tenant's outbox. Its
 * cursor codec is made by the first recovery job of the execution environment, which loads the
 * Secrets Manager client (a chunk of its own, bundle.ts) and reads the secret then: most
 * environments only attempt deliveries.
 */
export function deliveryWiring(
  env: { TABLE_NAME: string; CURSOR_SECRET_ARN: string },
  queue: DeliveryQueue,
  sealer: SecretSealer,
) {
  const db = platformDb(env);
  // Values of that first read: the cursors a recovery opens are ones the delivery function sealed.
  const cursors = lazy(async () => {
    const { rotatingSecret } = await import('./secrets.ts');
    return new CursorCodec((await rotatingSecret(env.CURSOR_SECRET_ARN)).values());
  });
  return {
    queue,
    /** The repositories a job's work reaches. */
    storesFor: (job: QueueJob) =>
      isRecoveryJob(job)
        ? async (tenantId: string) => webhookStore(db, tenantId, await cursors(), sealer)
        : (tenantId: string) => webhookStore(db, tenantId, noCursors, sealer),
  };
}
