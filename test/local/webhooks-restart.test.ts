import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@tandem/local';
import { Webhook } from 'standardwebhooks';
import { afterAll, expect, test } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { receiver } from '../support/webhooks.ts';
import { npmStart, waitFor } from './npm-start.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tandem-webhooks-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('killing npm start in the middle of a delivery and starting it again loses nothing', {
  timeout: 240_000,
}, async () => {
  const port = await freePort();
  // Short lease and retries so the interrupted attempt is retried within seconds, not a minute.
  const env = {
    PORT: String(port),
    TANDEM_DATA_DIR: dataDir,
    TANDEM_WEBHOOK_LEASE_MS: '1500',
    TANDEM_WEBHOOK_RETRY_DELAYS_MS: '0,300,300,300,300',
  };
  let stall = true;
  const hooks = await receiver(() => (stall ? undefined : { status: 200, body: 'got it' }));

  const first = npmStart(env);
  const [, key] = await waitFor(first, /admin API key: (tdm_live_\S+)/);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`http://localhost:${port}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
    });
  const endpoint: any = await (
    await api('/v1/webhook-endpoints', {
      method: 'POST',
      body: JSON.stringify({ url: hooks.url, eventTypes: ['person.created'] }),
    })
  ).json();
  const person: any = await (
    await api('/v1/people', {
      method: 'POST',
      body: JSON.stringify({ name: 'Interrupted', email: 'interrupted@demo.example' }),
    })
  ).json();

  // The attempt is in flight (the receiver holds it) when the whole runtime dies at once.
  await eventually(() => expect(hooks.requests).toHaveLength(1), 60_000);
  process.kill(-first.child.pid!, 'SIGKILL');
  await first.exited;
  stall = false;

  const second = npmStart(env);
  await waitFor(second, /admin API key:/);
  await eventually(() => expect(hooks.requests.length).toBeGreaterThanOrEqual(2), 60_000);
  const [interrupted, retried] = hooks.requests;
  expect(retried!.headers['webhook-id']).toBe(interrupted!.headers['webhook-id']);
  const event = new Webhook(endpoint.secret).verify(retried!.body, retried!.headers) as any;
  expect(event).toMatchObject({ type: 'person.created', data: { personId: person.id } });

  const log: any = await eventually(async () => {
    const page: any = await (await api(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json();
    expect(page.items[0].status).toBe('succeeded');
    return page;
  });
  expect(log.items).toHaveLength(1);
  process.kill(-second.child.pid!, 'SIGINT');
  await second.exited;
  await hooks.close();
  // The DynamoDB Local orphaned by the kill was stopped by the second start, and that one by Ctrl-C.
  expect(existsSync(join(dataDir, 'dynamodb-local.pid'))).toBe(false);
  const running = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
      } catch {
        return false;
      }
    });
  expect(running).toEqual([]);
});
