import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CursorCodec } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { createMatchingSteps, FolderBlobStore } from '@tandem/workflows';
import { LocalMatchingRunner } from '@tandem/workflows/local';
import { describe, expect, onTestFinished, test } from 'vitest';
import {
  CURSOR_SECRET,
  call,
  newTenant,
  testApp,
  testDb,
  testMatching,
  testSealer,
  uniqueEmail,
} from '../support/app.ts';
import { eventually } from '../support/eventually.ts';
import { ownDatabase } from '../support/own-database.ts';
import { watchedDb } from '../support/watched-db.ts';

async function setup(
  app: ReturnType<typeof testApp>,
  format: string,
  people: { department: string; role: string; capacity?: number }[],
  extra = {},
) {
  const { key } = await newTenant(app);
  const program = await call(app, 'POST', '/v1/programs', { key, body: { name: 'P', format, ...extra } });
  const ids: string[] = [];
  for (const [i, p] of people.entries()) {
    const person = await call(app, 'POST', '/v1/people', {
      key,
      body: {
        name: `P${i}`,
        email: uniqueEmail(),
        department: p.department,
        skillsOffered: [{ name: 'sql', level: 3 }],
      },
    });
    ids.push(person.json.id);
    await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
      key,
      body: { personId: person.json.id, role: p.role, ...(p.capacity ? { capacity: p.capacity } : {}) },
    });
  }
  return { key, programId: program.json.id as string, ids };
}

const peers = (n: number) => Array.from({ length: n }, (_, i) => ({ department: `D${i}`, role: 'peer' }));

describe('manual matches and capacity', () => {
  const app = testApp();

  test('a manual match is scored and explained, and refused when a hard rule forbids it', async () => {
    const { key, programId, ids } = await setup(
      app,
      'peer_pairs',
      [
        { department: 'Eng', role: 'peer' },
        { department: 'Eng', role: 'peer' },
        { department: 'Sales', role: 'peer' },
      ],
      { matching: { crossDepartmentOnly: true } },
    );
    const same = await call(app, 'POST', '/v1/relationships', {
      key,
      body: { programId, personIds: [ids[0], ids[1]] },
    });
    expect(same.status).toBe(422);
    expect(same.json.detail).toContain('department');
    const made = await call(app, 'POST', '/v1/relationships', {
      key,
      body: { programId, personIds: [ids[0], ids[2]] },
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ status: 'active', source: 'manual' });
    const sum = Object.values<number>(made.json.explanation.contributions).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(made.json.score, 9);

    const again = await call(app, 'POST', '/v1/relationships', {
      key,
      body: { programId, personIds: [ids[2], ids[1]] },
    });
    expect(again.status).toBe(409);
    const dissolved = await call(app, 'POST', `/v1/relationships/${made.json.id}/dissolve`, {
      key,
      body: { reason: 'mismatch', detail: 'No chemistry' },
    });
    expect(dissolved.json).toMatchObject({
      status: 'dissolved',
      endReason: 'mismatch',
      endDetail: 'No chemistry',
    });
    expect(
      (
        await call(app, 'POST', '/v1/relationships', {
          key,
          body: { programId, personIds: [ids[2], ids[1]] },
        })
      ).status,
    ).toBe(201);
    // Previous partners are not matched again: a hard rule, named in the problem.
    const previous = await call(app, 'POST', '/v1/relationships', {
      key,
      body: { programId, personIds: [ids[0], ids[2]] },
    });
    expect(previous.status).toBe(422);
    expect(previous.json.errors[0]).toMatchObject({ field: '/personIds', message: 'previous_partners' });
  });

  test("a manual match reads its members' relationships, not the program's", async () => {
    // The relationship items each answer carries.
    let relationshipItemsRead = 0;
    const db = watchedDb((_command, answer) => {
      for (const item of [...(answer.Items ?? []), ...Object.values(answer.Responses ?? {}).flat()])
        if (String((item as { SK?: unknown }).SK).startsWith('REL#')) relationshipItemsRead++;
    });
    const counted = testApp({ db });
    const { key, programId, ids } = await setup(counted, 'peer_pairs', peers(8));
    for (const pair of [ids.slice(2, 4), ids.slice(4, 6), ids.slice(6, 8)])
      expect(
        (await call(counted, 'POST', '/v1/relationships', { key, body: { programId, personIds: pair } }))
          .status,
      ).toBe(201);

    relationshipItemsRead = 0;
    const made = await call(counted, 'POST', '/v1/relationships', {
      key,
      body: { programId, personIds: [ids[0], ids[1]] },
    });
    expect(made.status).toBe(201);
    // Neither member was ever paired: the program's three other relationships are not read.
    expect(relationshipItemsRead).toBe(0);
  });

  test('concurrent manual matches and a publish never put anyone over capacity', async () => {
    const mentor = { department: 'Eng', role: 'mentor', capacity: 2 };
    const mentees = Array.from({ length: 6 }, (_, i) => ({ department: `D${i}`, role: 'mentee' }));
    const { key, programId, ids } = await setup(app, 'one_to_one', [mentor, ...mentees]);
    const run = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    await eventually(async () => {
      const r = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${run.json.id}`, { key });
      expect(r.json.status).toBe('awaiting_review');
    }, 60_000);
    await call(app, 'POST', `/v1/programs/${programId}/match-runs/${run.json.id}/decisions`, {
      key,
      body: { approve: 'all' },
    });

    const [mentorId, ...menteeIds] = ids as [string, ...string[]];
    const results = await Promise.all([
      call(app, 'POST', `/v1/programs/${programId}/match-runs/${run.json.id}/publish`, { key }),
      ...menteeIds.map((id) =>
        call(app, 'POST', '/v1/relationships', { key, body: { programId, personIds: [mentorId, id] } }),
      ),
    ]);
    expect(results.every((r) => r.status < 500)).toBe(true);
    await eventually(async () => {
      const r = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${run.json.id}`, { key });
      expect(r.json.status).toBe('published');
    }, 60_000);
    const active = (
      await call(app, 'GET', `/v1/relationships?programId=${programId}&status=active&limit=100`, { key })
    ).json.items;
    expect(active).toHaveLength(2);
    const matched = active.flatMap((r: any) =>
      r.members.filter((m: any) => m.role === 'mentee').map((m: any) => m.personId),
    );
    expect(new Set(matched).size).toBe(matched.length);
  });

  test('a pair rejected in review is not proposed by the next run', async () => {
    const { key, programId } = await setup(app, 'peer_pairs', peers(2));
    const first = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    // Proposals are readable while the run is still staging them: decide once it awaits review.
    await eventually(async () => {
      const r = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${first.json.id}`, { key });
      expect(r.json.status).toBe('awaiting_review');
    }, 60_000);
    const proposals = (
      await call(app, 'GET', `/v1/programs/${programId}/match-runs/${first.json.id}/proposals`, { key })
    ).json.items;
    const pair = proposals.find((p: { kind: string }) => p.kind === 'pair');
    const decided = await call(
      app,
      'POST',
      `/v1/programs/${programId}/match-runs/${first.json.id}/decisions`,
      {
        key,
        body: { reject: [pair.id] },
      },
    );
    expect(decided.status).toBe(200);
    await call(app, 'POST', `/v1/programs/${programId}/match-runs/${first.json.id}/cancel`, { key });
    const second = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    const next = await eventually(async () => {
      const r = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${second.json.id}`, { key });
      expect(r.json.status).toBe('awaiting_review');
      return r.json;
    }, 60_000);
    expect(next.totals).toMatchObject({ proposals: 0, unmatched: 2 });
  });
});

/**
 * The database of a test that plays npm start's next start: that start takes over every unfinished
 * run in its table (`failInterrupted`), which on the shared table would be other files' running
 * runs. Its own table on the worker's own DynamoDB Local, dropped when the test ends.
 */
async function restartedDatabase() {
  const own = await ownDatabase();
  onTestFinished(() => own.stop());
  return own;
}

describe('failures', () => {
  test('a step that keeps throwing is retried, then the run is failed with the cause', async () => {
    const db = testDb();
    const cursors = new CursorCodec(CURSOR_SECRET);
    // The blob store fails every read of the snapshot, so the real solve step throws each time.
    const folder = new FolderBlobStore(mkdtempSync(join(tmpdir(), 'tandem-fail-')));
    let solveCalls = 0;
    const failingReads = {
      putJson: folder.putJson.bind(folder),
      getJson: async () => {
        solveCalls++;
        throw new Error('blob store unavailable');
      },
    };
    const steps = createMatchingSteps({
      storesFor: (tenantId) =>
        tenantStore({ tenant: db, platform: db, sealer: testSealer }, tenantId, cursors),
      blobs: failingReads,
    });
    const runner = new LocalMatchingRunner(steps, {
      retryIntervalMs: 0,
      logger: { info: () => {}, warn: () => {} },
    });
    const app = testApp({ matching: { starter: runner } });
    const { key, programId } = await setup(app, 'peer_pairs', peers(4));
    const started = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    const run = await eventually(async () => {
      const r = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${started.json.id}`, { key });
      expect(r.json.status).toBe('failed');
      return r.json;
    }, 60_000);
    expect(solveCalls).toBe(4);
    expect(run.failure).toMatchObject({ step: 'solve', error: 'Error', cause: 'blob store unavailable' });
    // The failing step is marked failed in the same write that fails the run.
    expect(run.progress.find((p: { step: string }) => p.step === 'solve')).toMatchObject({
      status: 'failed',
      finishedAt: run.finishedAt,
    });
    expect(run.finishedAt).toBeDefined();
    // The program's slot is free again.
    expect(
      (await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: { dryRun: true } }))
        .status,
    ).toBe(202);
    await runner.idle();
  });

  test('a run interrupted by stopping npm start is marked failed on the next start', async () => {
    const { db, endpoint } = await restartedDatabase();
    const hanging = testMatching(db, { endpoint });
    const cursors = new CursorCodec(CURSOR_SECRET);
    // The solve step's read never returns, as if npm start died in the middle of it.
    const folder = new FolderBlobStore(mkdtempSync(join(tmpdir(), 'tandem-hang-')));
    let release: () => void = () => {};
    const stalled = {
      putJson: folder.putJson.bind(folder),
      getJson: <T>(key: string) =>
        new Promise<T>((resolve, reject) => {
          release = () => folder.getJson<T>(key).then(resolve, reject);
        }),
    };
    const runner = new LocalMatchingRunner(
      createMatchingSteps({
        storesFor: (tenantId) =>
          tenantStore({ tenant: db, platform: db, sealer: testSealer }, tenantId, cursors),
        blobs: stalled,
      }),
      { retryIntervalMs: 0, logger: { info: () => {}, warn: () => {} } },
    );
    const app = testApp({ db, matching: { starter: runner } });
    const { key, programId } = await setup(app, 'peer_pairs', peers(4));
    const started = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    await eventually(async () => {
      const r = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${started.json.id}`, { key });
      expect(r.json.progress.map((p: { step: string }) => p.step)).toContain('solve');
    });
    // What the next npm start does first:
    expect(await hanging.failInterrupted(new Date())).toBeGreaterThanOrEqual(1);
    const run = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${started.json.id}`, { key });
    expect(run.json).toMatchObject({ status: 'failed', failure: { step: 'solve', error: 'Interrupted' } });
    expect(run.json.progress.find((p: { step: string }) => p.step === 'solve')).toMatchObject({
      status: 'failed',
      finishedAt: run.json.finishedAt,
    });
    release();
    await runner.idle();
  });

  test('a run that was publishing when npm start stopped is published to the end on the next start', async () => {
    const { db, endpoint } = await restartedDatabase();
    const app = testApp({ db, endpoint });
    const { key, programId } = await setup(app, 'peer_pairs', peers(4));
    const started = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    const runPath = `/v1/programs/${programId}/match-runs/${started.json.id}`;
    await eventually(async () => {
      expect((await call(app, 'GET', runPath, { key })).json.status).toBe('awaiting_review');
    }, 60_000);
    await call(app, 'POST', `${runPath}/decisions`, { key, body: { approve: 'all' } });
    // Claimed for publishing, and then the process died before its execution ran.
    const { tenantId } = (await call(app, 'GET', '/v1/events?type=match_run.started', { key })).json.items[0];
    const store = tenantStore(
      { tenant: db, platform: db, sealer: testSealer },
      tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    await store.matchRuns.transition(
      { id: started.json.id, programId },
      ['awaiting_review'],
      'publishing',
      {},
      new Date().toISOString(),
    );
    // What the next npm start does first:
    const next = testMatching(db, { endpoint });
    expect(await next.failInterrupted(new Date())).toBe(0);
    const run = await eventually(async () => {
      const r = await call(app, 'GET', runPath, { key });
      expect(r.json.status).toBe('published');
      return r.json;
    }, 60_000);
    expect(run.publication).toMatchObject({ relationships: 2, skipped: 0 });
    await next.runner.idle();
    await next.close();
  });

  test('a run whose workflow cannot start fails at once and frees the program', async () => {
    // Stands in for Step Functions refusing StartExecution (an AWS service we cannot run here).
    const unavailable = {
      start: async () => {
        throw new Error('Step Functions unavailable');
      },
      stop: async () => {},
    };
    const app = testApp({ matching: { starter: unavailable } });
    const matching = testMatching(testDb());
    const { key, programId } = await setup(app, 'peer_pairs', peers(2));
    const refused = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    expect(refused.status).toBe(500);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    const runs = await call(app, 'GET', `/v1/programs/${programId}/match-runs`, { key });
    expect(runs.json.items[0]).toMatchObject({
      status: 'failed',
      failure: { error: 'StartFailed', cause: 'Step Functions unavailable' },
    });
    const retried = testApp({ matching });
    expect(
      (await call(retried, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} })).status,
    ).toBe(202);
    await matching.runner.idle();
  });
});
