import { runScheduledJob } from '@tandem/app';
import type { Context } from 'aws-lambda';
import { readEnvironment } from './config.ts';
import { platformAccess } from './platform-stores.ts';
import { logger, observers } from './powertools.ts';
import { kmsSealer } from './sealer.ts';

const env = readEnvironment('scheduledJob');
const access = await platformAccess(env, kmsSealer(env.SEALING_KEY_ARN));

/**
 * EventBridge Scheduler → one pass of the scheduled job over every tenant's due timers. A pass
 * that overlaps the next invocation is harmless: each timer's work commits with its removal.
 */
export async function handler(_event: unknown, context: Context) {
  logger.addContext(context);
  const now = new Date();
  const result = await runScheduledJob(
    {
      tenants: access.tenants,
      migrations: access.migrations,
      contextFor: (tenantId) => {
        const clock = () => new Date();
        return { tenantId, clock, store: access.storesFor(tenantId, clock) };
      },
      onError: (error, timer, tenantId) => {
        // One series the alarm watches; the log line says which kind failed.
        observers.metrics.count('TimersFailed', {});
        logger.error('timer failed; the next pass retries it', {
          tenantId,
          timerKind: timer.kind,
          subjectId: timer.subjectId,
          error: error as Error,
        });
      },
    },
    now,
  );
  logger.info('scheduled job pass', { ...result });
  return result;
}
