import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, testDb, testMatching, uniqueEmail } from '../support/app.ts';
import { eventually } from '../support/eventually.ts';

const app = testApp();
/** The same data, with the Score map cutting candidate selection into chunks of two mentees. */
// Chunks of two rows, selected under a sample's prices as a large program's would be.
const chunkedApp = testApp({ matching: testMatching(testDb(), { chunkRows: 2, sampleFrom: 0 }) });

const departments = ['Engineering', 'Sales', 'Finance', 'Marketing'];
const skills = ['negotiation', 'system design', 'forecasting', 'storytelling'];

/** An organization with people, a program in `format`, and everyone enrolled. */
async function programWithPeople(
  format: 'peer_pairs' | 'one_to_one' | 'circles',
  count: number,
  extra: Record<string, unknown> = {},
) {
  const { key, tenantId } = await newTenant(app);
  const program = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: `Program ${format}`, format, ...extra },
  });
  const people: string[] = [];
  for (let i = 0; i < count; i++) {
    const person = await call(app, 'POST', '/v1/people', {
      key,
      body: {
        name: `Person ${i}`,
        email: uniqueEmail(),
        department: departments[i % departments.length],
        skillsOffered: [{ name: skills[i % skills.length]!, level: 4 }],
        skillsWanted: [{ name: skills[(i + 1) % skills.length]! }],
        careerGoals: ['Lead a team'],
      },
    });
    people.push(person.json.id);
    const role = format === 'one_to_one' ? (i % 3 === 0 ? 'mentor' : 'mentee') : 'peer';
    const enrolled = await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
      key,
      body: { personId: person.json.id, role, ...(role === 'mentor' ? { capacity: 2 } : {}) },
    });
    expect(enrolled.status).toBe(201);
  }
  return { key, tenantId, programId: program.json.id as string, people };
}

async function runToEnd(
  key: string,
  programId: string,
  body: Record<string, unknown> = {},
  until = ['awaiting_review', 'failed'],
  via = app,
) {
  const started = await call(via, 'POST', `/v1/programs/${programId}/match-runs`, { key, body });
  expect(started.status).toBe(202);
  const run = await eventually(async () => {
    const read = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${started.json.id}`, { key });
    expect(until).toContain(read.json.status);
    return read.json;
  }, 60_000);
  // The step that moves the run on (or fails it) ends in the same write: the first read that sees
  // the run there sees no step still running.
  expect(run.progress.map((p: { status: string }) => p.status)).not.toContain('running');
  return run;
}

describe('matching runs', () => {
  test('people → program → enrollments → run → review → publish → relationships, with events', async () => {
    const { key, tenantId, programId } = await programWithPeople('peer_pairs', 8, {
      matching: { crossDepartmentOnly: true },
    });
    const run = await runToEnd(key, programId);
    expect(run.status).toBe('awaiting_review');
    expect(run.progress.map((p: { step: string; status: string }) => `${p.step}:${p.status}`)).toEqual([
      'snapshot:succeeded',
      'solve:succeeded',
      'stage:succeeded',
    ]);
    expect(run.totals).toMatchObject({ participants: 8, proposals: 4, unmatched: 0 });

    const proposals = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${run.id}/proposals`, {
      key,
    });
    expect(proposals.json.items).toHaveLength(4);
    for (const p of proposals.json.items) {
      expect(p).toMatchObject({ kind: 'pair', decision: 'pending' });
      const sum = Object.values<number>(p.explanation.contributions).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(p.score, 9);
      expect(p.explanation.reasons.length).toBeGreaterThan(0);
    }

    const [first, second] = proposals.json.items;
    const decided = await call(app, 'POST', `/v1/programs/${programId}/match-runs/${run.id}/decisions`, {
      key,
      body: { approve: 'all', reject: [second.id] },
    });
    expect(decided.status).toBe(200);
    expect(decided.json).toEqual({ approved: 0, rejected: 1, approveAll: true });
    const published = await call(app, 'POST', `/v1/programs/${programId}/match-runs/${run.id}/publish`, {
      key,
    });
    expect(published.status).toBe(202);
    expect(published.json.status).toBe('publishing');
    const done = await eventually(async () => {
      const read = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${run.id}`, { key });
      expect(read.json.status).toBe('published');
      return read.json;
    }, 60_000);
    expect(done.publication).toEqual({ relationships: 3, skipped: 0, skippedProposals: [] });
    const decisions = (
      await call(app, 'GET', `/v1/programs/${programId}/match-runs/${run.id}/proposals`, { key })
    ).json.items.map((p: { decision: string }) => p.decision);
    expect(decisions.sort()).toEqual(['approved', 'approved', 'approved', 'rejected']);

    const relationships = await call(app, 'GET', `/v1/relationships?programId=${programId}`, { key });
    expect(relationships.json.items).toHaveLength(3);
    expect(relationships.json.items[0]).toMatchObject({
      status: 'active',
      source: 'match_run',
      matchRunId: run.id,
    });
    const firstMembers = first.members.map((m: { personId: string }) => m.personId).sort();
    expect(
      relationships.json.items.some(
        (r: any) =>
          r.members
            .map((m: any) => m.personId)
            .sort()
            .join() === firstMembers.join(),
      ),
    ).toBe(true);

    const events = (await call(app, 'GET', '/v1/events?limit=100', { key })).json.items.map(
      (e: { type: string }) => e.type,
    );
    expect(events).toEqual(
      expect.arrayContaining([
        'match_run.started',
        'match_run.awaiting_review',
        'match.published',
        'relationship.started',
      ]),
    );
    expect(events.filter((t: string) => t === 'relationship.started')).toHaveLength(3);
    expect(tenantId).toBeTruthy();
  });

  test('one run at a time per program; a dry run never publishes', async () => {
    const { key, programId } = await programWithPeople('peer_pairs', 4);
    const first = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, {
      key,
      body: { dryRun: true },
    });
    const second = await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} });
    expect(first.status).toBe(202);
    expect(second.status).toBe(409);
    const run = await eventually(async () => {
      const r = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${first.json.id}`, { key });
      expect(r.json.status).toBe('awaiting_review');
      return r.json;
    }, 60_000);
    await call(app, 'POST', `/v1/programs/${programId}/match-runs/${run.id}/decisions`, {
      key,
      body: { approve: 'all' },
    });
    const publish = await call(app, 'POST', `/v1/programs/${programId}/match-runs/${run.id}/publish`, {
      key,
    });
    expect(publish.status).toBe(422);
    expect(
      (await call(app, 'GET', `/v1/relationships?programId=${programId}`, { key })).json.items,
    ).toHaveLength(0);
    const cancelled = await call(app, 'POST', `/v1/programs/${programId}/match-runs/${run.id}/cancel`, {
      key,
    });
    expect(cancelled.json.status).toBe('cancelled');
    expect((await call(app, 'POST', `/v1/programs/${programId}/match-runs`, { key, body: {} })).status).toBe(
      202,
    );
  });

  test.each([
    ['one_to_one', 9],
    ['circles', 9],
  ] as const)(
    'a %s program runs end to end and auto-publishes when the program says so',
    async (format, count) => {
      const { key, programId } = await programWithPeople(format, count, {
        matching: { autoPublish: true },
        ...(format === 'circles' ? { capacity: { circleSize: { target: 3, min: 3, max: 4 } } } : {}),
      });
      const run = await runToEnd(key, programId, {}, ['published', 'failed']);
      expect(run.status).toBe('published');
      expect(run.progress.map((p: { step: string }) => p.step)).toEqual(['snapshot', 'solve', 'stage']);
      const relationships = (
        await call(app, 'GET', `/v1/relationships?programId=${programId}&limit=100`, { key })
      ).json.items;
      expect(relationships.length).toBeGreaterThan(0);
      if (format === 'one_to_one') {
        const load = new Map<string, number>();
        for (const r of relationships) {
          const mentor = r.members.find((m: { role: string }) => m.role === 'mentor');
          load.set(mentor.personId, (load.get(mentor.personId) ?? 0) + 1);
        }
        for (const count of load.values()) expect(count).toBeLessThanOrEqual(2);
      } else {
        for (const r of relationships) expect(r.members.length).toBeGreaterThanOrEqual(3);
      }
    },
  );

  test('a one_to_one program scored in chunks by the Score map gets the proposals of an unchunked run', async () => {
    const { key, programId } = await programWithPeople('one_to_one', 9);
    const proposalsOf = async (runId: string) => {
      const page = await call(app, 'GET', `/v1/programs/${programId}/match-runs/${runId}/proposals`, { key });
      return page.json.items
        .map((p: { members: { personId: string }[]; score?: number }) => ({
          members: p.members.map((m) => m.personId),
          score: p.score,
        }))
        .sort((a: { members: string[] }, b: { members: string[] }) =>
          a.members.join().localeCompare(b.members.join()),
        );
    };

    const chunked = await runToEnd(key, programId, {}, undefined, chunkedApp);
    expect(chunked.status).toBe('awaiting_review');
    // Snapshot solved a sample first, and every chunk chose its candidates under its prices.
    expect(chunked.solver.note).toMatch(/-mentee sample solved first/);
    // Six mentees in chunks of two: the map ran three ScoreChunk tasks before Solve.
    expect(chunked.progress.map((p: { step: string; status: string }) => `${p.step}:${p.status}`)).toEqual([
      'snapshot:succeeded',
      'score:succeeded',
      'solve:succeeded',
      'stage:succeeded',
    ]);
    const fromChunks = await proposalsOf(chunked.id);
    const cancelled = await call(app, 'POST', `/v1/programs/${programId}/match-runs/${chunked.id}/cancel`, {
      key,
    });
    expect(cancelled.json.status).toBe('cancelled');

    const whole = await runToEnd(key, programId);
    expect(whole.progress.map((p: { step: string }) => p.step)).not.toContain('score');
    expect(await proposalsOf(whole.id)).toEqual(fromChunks);
    expect(fromChunks.filter((p: { members: string[] }) => p.members.length === 2)).toHaveLength(6);
  });
});
