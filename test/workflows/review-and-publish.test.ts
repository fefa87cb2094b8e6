import { publishRun } from '@tandem/app';
import { CursorCodec } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { describe, expect, test } from 'vitest';
import { CURSOR_SECRET, call, newTenant, testApp, testDb, testSealer, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';

const app = testApp();

/** A peer_pairs program of `count` people in different departments, run to review. */
async function reviewedRun(count: number) {
  const { tenantId, key } = await newTenant(app);
  const program = await call(app, 'POST', '/v1/programs', { key, body: { name: 'P', format: 'peer_pairs' } });
  const programId = program.json.id as string;
  for (let i = 0; i < count; i++) {
    const person = await call(app, 'POST', '/v1/people', {
      key,
      body: { name: `P${i}`, email: uniqueEmail(), department: `D${i}` },
    });
    await call(app, 'POST', `/v1/programs/${programId}/enrollments`, {
      key,
      body: { personId: person.json.id, role: 'peer' },
    });
  }
  const started = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
  await eventually(async () => {
    const r = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${started.json.id}`, { key });
    expect(r.json.status).toBe('awaiting_review');
  }, 60_000);
  const runPath = `/v1/programs/${programId}/match-runs/${started.json.id}`;
  const proposals = (await call(app, 'GET', `${runPath}/proposals?limit=100`, { key })).json.items;
  return { tenantId, key, programId, runId: started.json.id as string, runPath, proposals };
}

const decisionsOf = async (key: string, runPath: string) =>
  (await call(app, 'GET', `${runPath}/proposals?limit=100`, { key })).json.items.map(
    (p: { decision: string }) => p.decision,
  );

/** Publishes a reviewed run (202 at once) and waits until the run reads published. */
async function publishToEnd(key: string, runPath: string) {
  expect((await call(app, 'POST', `${runPath}/publish`, { key })).status).toBe(202);
  return eventually(async () => {
    const r = await call(app, 'GET', runPath, { key });
    expect(r.json.status).toBe('published');
    return r.json;
  }, 60_000);
}

describe('review and publish', () => {
  test('decisions are validated before anything is written: one unknown id refuses them all', async () => {
    const { key, runPath, proposals } = await reviewedRun(6);
    const [first, second] = proposals;
    const refused = await call(app, 'POST', `${runPath}/decisions`, {
      key,
      body: { approve: [first.id, 'prp_01j0000000000000000000000z'], reject: [second.id] },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toHaveLength(1);
    expect(refused.json.errors[0]).toMatchObject({
      field: '/approve/1',
      message: expect.stringContaining('not a pair or circle'),
    });
    expect(await decisionsOf(key, runPath)).toEqual(['pending', 'pending', 'pending']);

    const twice = await call(app, 'POST', `${runPath}/decisions`, {
      key,
      body: { approve: [first.id], reject: [first.id] },
    });
    expect(twice.status).toBe(422);
    expect(await decisionsOf(key, runPath)).toEqual(['pending', 'pending', 'pending']);

    const decided = await call(app, 'POST', `${runPath}/decisions`, {
      key,
      body: { approve: [first.id], reject: [second.id] },
    });
    expect(decided.json).toEqual({ approved: 1, rejected: 1, approveAll: false });
    expect((await decisionsOf(key, runPath)).sort()).toEqual(['approved', 'pending', 'rejected']);
  });

  test('concurrent publishes: one publisher does the work and reports it truthfully', async () => {
    const { key, programId, runId, runPath } = await reviewedRun(8);
    await call(app, 'POST', `${runPath}/decisions`, { key, body: { approve: 'all' } });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => call(app, 'POST', `${runPath}/publish`, { key })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409]);
    const run = await eventually(async () => {
      const r = await call(app, 'GET', runPath, { key });
      expect(r.json.status).toBe('published');
      return r.json;
    }, 60_000);
    const created = (
      await call(app, 'GET', `/v1/relationships?programId=${programId}&limit=100`, { key })
    ).json.items.filter((r: { matchRunId?: string }) => r.matchRunId === runId);
    expect(created).toHaveLength(4);
    // Everyone came from a different department and wanted no skill: the snapshot says so.
    for (const r of created as { members: { personId: string }[]; matchSnapshot: unknown }[])
      expect(r.matchSnapshot).toEqual({
        members: r.members.map((m) => ({
          personId: m.personId,
          crossDepartment: true,
          wantedSkills: 0,
          wantedSkillsCovered: 0,
        })),
      });
    expect(run.publication).toEqual({ relationships: 4, skipped: 0, skippedProposals: [] });
    const published = (await call(app, 'GET', '/v1/events?type=match.published', { key })).json.items;
    expect(published).toHaveLength(1);
    expect(published[0].data).toMatchObject({ runId, relationships: 4, skipped: 0 });
  });

  test('a proposal that no longer fits is skipped and reported on the run', async () => {
    const { key, programId, runPath, proposals } = await reviewedRun(4);
    await call(app, 'POST', `${runPath}/decisions`, { key, body: { approve: 'all' } });
    const [gone] = proposals[0].members;
    const enrollments = (
      await call(app, 'GET', `/v1/programs/${programId}/enrollments?personId=${gone.personId}`, { key })
    ).json.items;
    await call(app, 'DELETE', `/v1/programs/${programId}/enrollments/${enrollments[0].id}`, { key });
    const run = await publishToEnd(key, runPath);
    expect(run.publication).toEqual({
      relationships: 1,
      skipped: 1,
      skippedProposals: [{ proposalId: proposals[0].id, reason: 'a member is no longer enrolled' }],
    });
  });

  test('a batch that a seat refuses is published one by one: only the proposals that no longer fit are skipped', async () => {
    const { key, programId, runPath, proposals } = await reviewedRun(6);
    await call(app, 'POST', `${runPath}/decisions`, { key, body: { approve: 'all' } });
    // Matched by hand meanwhile: one member of each of the first two proposals.
    const [a, b] = [proposals[0].members[0].personId, proposals[1].members[0].personId];
    const manual = await call(app, 'POST', '/v1/relationships', {
      key,
      body: { programId, personIds: [a, b] },
    });
    expect(manual.status).toBe(201);
    const run = await publishToEnd(key, runPath);
    expect(run.publication.relationships).toBe(1);
    expect(run.publication.skippedProposals.map((s: { proposalId: string }) => s.proposalId).sort()).toEqual(
      [proposals[0].id, proposals[1].id].sort(),
    );
    expect(run.publication.skippedProposals[0].reason).toMatch(/already has an active relationship/);
  });

  test('a retried Publish step finds the relationships it made and makes none twice', async () => {
    const { tenantId, key, programId, runId, runPath, proposals } = await reviewedRun(6);
    await call(app, 'POST', `${runPath}/decisions`, { key, body: { approve: 'all' } });
    await publishToEnd(key, runPath);
    const listed = (await call(app, 'GET', `${runPath}/proposals?limit=100`, { key })).json.items;
    const relationshipIds = listed.map((p: { relationshipId?: string }) => p.relationshipId);
    expect(relationshipIds.every((id: string | undefined) => id?.startsWith('rel_'))).toBe(true);
    for (const id of relationshipIds)
      expect((await call(app, 'GET', `/v1/relationships/${id}`, { key })).json.matchRunId).toBe(runId);

    // The step crashed after its transactions and before closing the run: it runs again.
    const store = tenantStore(
      { tenant: testDb(), platform: testDb(), sealer: testSealer },
      tenantId,
      new CursorCodec(CURSOR_SECRET),
    );
    const ref = { id: runId, programId };
    await store.matchRuns.transition(ref, ['published'], 'publishing', {}, new Date().toISOString());
    const again = await publishRun({ tenantId, store, clock: () => new Date() }, ref, { auto: false });
    expect(again).toEqual({ relationships: proposals.length, skipped: [] });
    const created = (
      await call(app, 'GET', `/v1/relationships?programId=${programId}&limit=100`, { key })
    ).json.items.filter((r: { matchRunId?: string }) => r.matchRunId === runId);
    expect(created).toHaveLength(proposals.length);
    const started = (await call(app, 'GET', '/v1/events?type=relationship.started&limit=100', { key })).json
      .items;
    expect(started).toHaveLength(proposals.length);
  }, 120_000);
});
