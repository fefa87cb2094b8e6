import { runScheduledJob } from '@tandem/app';
import { CursorCodec, PlatformMigrations, TenantsRepository } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { afterAll, expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, testApp, testSealer } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { ownDatabase } from '../support/own-database.ts';

// A database of this file's own: a pass visits every tenant of the table, here only these.
const database = await ownDatabase();
afterAll(() => database.stop());
const { db } = database;
const app = testApp({ db, endpoint: database.endpoint });
const cursors = new CursorCodec(CURSOR_SECRET);

/** A tenant whose program's analytics rebuild is asked for: a timer due at once. */
async function tenantWithDueRebuild() {
  const { key, tenantId } = await newTenant(app);
  const program = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: 'Side by side', format: 'peer_pairs' },
  });
  const path = `/v1/programs/${program.json.id}/analytics/recompute`;
  expect((await call(app, 'POST', path, { key })).status).toBe(202);
  return { tenantId, status: async () => (await call(app, 'GET', path, { key })).json.status as string };
}

test("one tenant's slow pass holds up no other tenant's timers; a tenant whose timers cannot be read stops no other", async () => {
  const slow = await tenantWithDueRebuild();
  const quick = await tenantWithDueRebuild();
  const failing = await tenantWithDueRebuild();

  // The slow tenant's due timers are read only when the test lets them; the failing one's never.
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const contextFor = (tenantId: string) => {
    const clock = () => new Date();
    const store = tenantStore({ tenant: db, platform: db, sealer: testSealer }, tenantId, cursors, clock);
    const due = store.timers.due;
    if (tenantId === slow.tenantId)
      store.timers.due = async (...args: Parameters<typeof due>) => {
        await released;
        return due(...args);
      };
    if (tenantId === failing.tenantId)
      store.timers.due = async () => {
        throw new Error('throttled');
      };
    return { tenantId, clock, store };
  };

  const pass = runScheduledJob(
    { tenants: new TenantsRepository(db, cursors), migrations: new PlatformMigrations(db), contextFor },
    new Date(),
  );
  pass.catch(() => {});
  // The others' rebuilds run while the slow tenant's pass waits.
  await eventually(async () => expect(await quick.status()).toBe('completed'), 30_000);
  expect(await slow.status()).toBe('queued');
  release();
  await expect(pass).rejects.toThrow('The due timers of 1 tenant(s) could not be read');
  expect(await slow.status()).toBe('completed');
  expect(await failing.status()).toBe('queued');
});
