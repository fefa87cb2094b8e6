import { randomUUID } from 'node:crypto';
import { LocalQueueStore } from '@tandem/local';
import { expect, test } from 'vitest';
import { testDb } from '../support/app.ts';

test('taken entries are held in the process: one taker each, back after the lease, at once for a new process', async () => {
  const db = testDb();
  const name = `TAKE_TEST_${randomUUID()}`;
  const queue = new LocalQueueStore<{ n: number }>(db, name);
  const due = new Date(Date.now() - 1_000);
  for (const n of [1, 2, 3]) await queue.put(`job-${n}`, { n }, due);
  const now = new Date();
  const bodies = (entries: { body: { n: number } }[]) => entries.map((e) => e.body.n).sort();

  // Two takers at once in one process: no entry goes to both; the next take finds the rest.
  const [first, second] = await Promise.all([queue.takeDue(now, 2, 60_000), queue.takeDue(now, 2, 60_000)]);
  const third = await queue.takeDue(now, 10, 60_000);
  expect(bodies([...first, ...second, ...third])).toEqual([1, 2, 3]);
  expect(await queue.takeDue(now, 10, 60_000)).toEqual([]);

  // A process that died held its leases in memory: the next one takes every entry at once.
  const restarted = new LocalQueueStore<{ n: number }>(db, name);
  expect(bodies(await restarted.takeDue(now, 10, 60_000))).toEqual([1, 2, 3]);

  // Done entries are gone; one kept (its change failed) comes back once its lease ran out.
  const [kept, ...rest] = [...first, ...second, ...third].sort((a, b) => a.body.n - b.body.n);
  await queue.doneAll(rest);
  expect(await queue.takeDue(new Date(now.getTime() + 59_000), 10, 60_000)).toEqual([]);
  expect(bodies(await queue.takeDue(new Date(now.getTime() + 61_000), 10, 60_000))).toEqual([kept!.body.n]);
});
