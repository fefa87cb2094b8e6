import { runDueTimers, type ScheduledJobResult } from '@tandem/app';
import { CursorCodec, type Db } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { CURSOR_SECRET, loopbackUrlPolicy, testDb, testSealer } from './app.ts';

/**
 * One pass of the scheduled job over one tenant's due timers, with the clock at `now`. Tests
 * share a table, so a pass over every tenant would do other tests' work at this test's time;
 * scoping the pass to the test's tenant is what keeps them apart.
 */
export async function runScheduledJobAt(
  tenantId: string,
  now: Date,
  options: { db?: Db; onError?: (error: unknown) => void } = {},
): Promise<ScheduledJobResult> {
  const db = options.db ?? testDb();
  const clock = () => now;
  const store = tenantStore(
    { tenant: db, platform: db, sealer: testSealer },
    tenantId,
    new CursorCodec(CURSOR_SECRET),
    clock,
  );
  const errors: unknown[] = [];
  const result = await runDueTimers(
    { onError: (error) => (options.onError ? options.onError(error) : errors.push(error)) },
    // HRIS reconciliation reaches the recorded provider APIs on 127.0.0.1.
    { tenantId, store, clock, hrisApi: { urlPolicy: loopbackUrlPolicy } },
    now,
  );
  if (errors.length) throw new AggregateError(errors, `${errors.length} timer(s) failed`);
  return result;
}
