import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@tandem/local';
import { afterAll, describe, expect, test } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { npmStart, type Started, waitFor } from './npm-start.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tandem-start-'));
const run = promisify(execFile);

/** `npm run token -- <email>`, exactly as the startup output and the README say. */
async function mintToken(email: string) {
  const { stdout } = await run('npm', ['run', '--silent', 'token', '--', email], {
    cwd: join(import.meta.dirname, '../..'),
    env: { ...process.env, TANDEM_DATA_DIR: dataDir },
  });
  return stdout.trim();
}
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Ctrl-C: SIGINT to the whole process group. */
async function ctrlC(started: Started) {
  process.kill(-started.child.pid!, 'SIGINT');
  await started.exited;
  await waitFor(started, /Stopped\./, 1_000);
}

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

describe('npm start', () => {
  test('starts, seeds a usable demo organization, stops on Ctrl-C and keeps data across restarts', {
    timeout: 240_000,
  }, async () => {
    const port = await freePort();
    const first = npmStart({ PORT: String(port), TANDEM_DATA_DIR: dataDir });
    const [, key] = await waitFor(first, /admin API key: (tdm_live_\S+)/);
    expect(first.output()).toContain('Seeded the demo organization.');
    const [, operatorKey] = first
      .output()
      .match(/Operator key \(generated; set TANDEM_OPERATOR_KEY to choose one\): (tdm_op_\S+)/)!;
    const dynamoPort = Number(first.output().match(/DynamoDB Local on http:\/\/127\.0\.0\.1:(\d+)/)![1]);

    const base = `http://localhost:${port}`;
    const auth = { authorization: `Bearer ${key}` };
    const people: any = await (await fetch(`${base}/v1/people`, { headers: auth })).json();
    expect(people.items).toHaveLength(8);
    const programs: any = await (await fetch(`${base}/v1/programs`, { headers: auth })).json();
    expect(programs.items[0]).toMatchObject({
      name: 'Cross-team peer mentoring',
      status: 'enrolling',
      activeEnrollments: 8,
    });
    const created = await fetch(`${base}/v1/people`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kept Across Restarts', email: 'kept@demo.example' }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${base}/docs`)).status).toBe(200);

    // A participant: a token of the local development issuer, minted as the startup output says.
    expect(first.output()).toContain('npm run token -- dana@demo.example');
    const token = await mintToken('dana@demo.example');
    const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const mine: any = await me.json();
    expect(mine.person).toMatchObject({ name: 'Dana Okafor', email: 'dana@demo.example' });
    expect(mine.enrollments).toHaveLength(1);
    // The signing key stays in the data folder, owner-only, and is never printed.
    const devIssuer = JSON.parse(readFileSync(join(dataDir, 'dev-issuer.json'), 'utf8'));
    expect(statSync(join(dataDir, 'dev-issuer.json')).mode & 0o077).toBe(0);
    expect(first.output()).not.toContain(devIssuer.privateJwk.d);

    // A matching run on the demo program, executed by the local Step Functions runner.
    const programId = programs.items[0].id;
    const started: any = await (
      await fetch(`${base}/v1/programs/${programId}/match-runs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json();
    const reviewed: any = await eventually(async () => {
      const run: any = await (
        await fetch(`${base}/v1/programs/${programId}/match-runs/${started.id}`, { headers: auth })
      ).json();
      expect(run.status).toBe('awaiting_review');
      return run;
    }, 60_000);
    expect(reviewed.totals).toMatchObject({ participants: 8, proposals: 4 });

    await ctrlC(first);
    expect(await portIsClosed(port)).toBe(true);
    expect(await portIsClosed(dynamoPort)).toBe(true);

    const second = npmStart({ PORT: String(port), TANDEM_DATA_DIR: dataDir });
    const [, sameKey] = await waitFor(second, /admin API key: (tdm_live_\S+)/);
    expect(sameKey).toBe(key);
    expect(second.output()).not.toContain('Seeded');
    expect(second.output()).not.toContain('Operator key (generated');
    // Printed again on every start, with where it is kept: the first run's output is long gone.
    expect(second.output()).toContain(
      `Operator key (kept in ${join(dataDir, 'local.json')}; set TANDEM_OPERATOR_KEY to choose one): ${operatorKey}`,
    );
    const again: any = await (await fetch(`${base}/v1/people?limit=100`, { headers: auth })).json();
    expect(again.items.map((p: { email: string }) => p.email)).toContain('kept@demo.example');
    // The same development key signs across restarts.
    const sam = await fetch(`${base}/v1/me`, {
      headers: { authorization: `Bearer ${await mintToken('sam@demo.example')}` },
    });
    expect(((await sam.json()) as any).person.name).toBe('Sam Lindqvist');
    await ctrlC(second);
  });

  test('a taken port is one clear line, before anything else starts', { timeout: 60_000 }, async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const started = npmStart({ PORT: String(port) }, ['--in-memory']);
      expect(await started.exited).not.toBe(0);
      expect(started.output()).toContain(`tandem: Port ${port} is already in use`);
      expect(started.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  test('a missing Java runtime is one clear line', { timeout: 60_000 }, async () => {
    // A PATH with node, npm and a shell but no java, as on a machine without a JRE.
    const bin = mkdtempSync(join(tmpdir(), 'tandem-nojava-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/usr/bin/npm', join(bin, 'npm'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    try {
      const started = npmStart({ PORT: String(await freePort()), PATH: bin }, ['--in-memory']);
      expect(await started.exited).not.toBe(0);
      expect(started.output()).toContain('tandem: Java 17 or newer is required');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
