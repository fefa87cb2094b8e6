import { runScheduledJob, type ScheduledJobResult, type UrlPolicy } from '@tandem/app';
import {
  CursorCodec,
  type CursorSecrets,
  type Db,
  PlatformMigrations,
  type SecretSealer,
  TenantsRepository,
} from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { runLoop } from './loop.ts';

export interface LocalSchedulerOptions {
  /** Seals and opens the secrets the store keeps (see SecretSealer). */
  sealer: SecretSealer;
  db: Db;
  cursorSecret: CursorSecrets;
  /** How often the job runs; EventBridge Scheduler runs it every minute in AWS. */
  intervalMs?: number;
  /** Which HR system API URLs reconciliation may call (loopback over http locally). */
  urlPolicy?: UrlPolicy;
  onError: (error: unknown) => void;
}

/**
 * The scheduled job under `npm start`: a timer that runs the same pass as the scheduled Lambda,
 * once at start (catching up on what fell due while Tandem was stopped) and then every minute.
 */
export function createLocalScheduler(options: LocalSchedulerOptions) {
  const cursors = new CursorCodec(options.cursorSecret);
  const db = options.db;
  let loop: ReturnType<typeof runLoop> | undefined;
  const pass = (now: Date): Promise<ScheduledJobResult> =>
    runScheduledJob(
      {
        tenants: new TenantsRepository(db, cursors),
        migrations: new PlatformMigrations(db),
        contextFor: (tenantId) => {
          const clock = () => now;
          return {
            tenantId,
            clock,
            store: tenantStore(
              { tenant: db, platform: db, sealer: options.sealer },
              tenantId,
              cursors,
              clock,
            ),
            ...(options.urlPolicy ? { hrisApi: { urlPolicy: options.urlPolicy } } : {}),
          };
        },
        onError: options.onError,
      },
      now,
    );
  return {
    pass,
    start() {
      loop = runLoop(
        async () => {
          await pass(new Date());
        },
        { intervalMs: options.intervalMs ?? 60_000, onError: options.onError },
      );
    },
    async stop() {
      await loop?.stop();
    },
  };
}
