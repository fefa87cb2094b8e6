import { createHmac, randomUUID } from 'node:crypto';
import { createLocalHris, TableHrisQueue } from '@tandem/local';
import type { Db } from '@tandem/store';
import { CURSOR_SECRET, call, loopbackUrlPolicy, newTenant, testApp, testDb, testSealer } from './app.ts';

/** Fixed test secrets: signatures in these tests are reproducible. */
export const TEST_KEYS = {
  bamboohr: 'bamboohr-test-private-key-0001',
  hibob: 'hibob-test-webhook-secret-0001',
  gusto: '3f0e7a7e-gusto-test-verification-token',
  merge: 'merge-test-signature-key-0001',
  // Finch secrets are base64 without a prefix.
  finch: Buffer.from('finch-test-webhook-secret-0001').toString('base64'),
};

const hmac = (algorithm: string, key: string | Buffer, message: string) =>
  createHmac(algorithm, key).update(message).digest();

/** Headers a provider sends with `body`, signed with `key` (at `now`, where the scheme signs a time). */
export const sign = {
  standard(body: string, key: string, now = new Date(), id: string = `msg_${randomUUID()}`) {
    const ts = String(Math.floor(now.getTime() / 1000));
    const sig = hmac(
      'sha256',
      Buffer.from(key.replace(/^whsec_/, ''), 'base64'),
      `${id}.${ts}.${body}`,
    ).toString('base64');
    return { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` };
  },
  finch(body: string, key = TEST_KEYS.finch, now = new Date(), id: string = `evt_${randomUUID()}`) {
    const ts = String(Math.floor(now.getTime() / 1000));
    const sig = hmac('sha256', Buffer.from(key, 'base64'), `${id}.${ts}.${body}`).toString('base64');
    return { 'finch-event-id': id, 'finch-timestamp': ts, 'finch-signature': `v1,${sig}` };
  },
  bamboohr(
    body: string,
    key = TEST_KEYS.bamboohr,
    timestamp: string = String(Math.floor(Date.now() / 1000)),
  ) {
    return {
      'x-bamboohr-timestamp': timestamp,
      'x-bamboohr-signature': hmac('sha256', key, body + timestamp).toString('hex'),
    };
  },
  hibob(body: string, key = TEST_KEYS.hibob) {
    return { 'bob-signature': hmac('sha512', key, body).toString('base64') };
  },
  gusto(body: string, key = TEST_KEYS.gusto) {
    return { 'x-gusto-signature': hmac('sha256', key, body).toString('hex') };
  },
  merge(body: string, key = TEST_KEYS.merge, padded = false) {
    const sig = hmac('sha256', key, body).toString('base64url');
    return { 'x-merge-webhook-signature': padded ? sig.padEnd(Math.ceil(sig.length / 4) * 4, '=') : sig };
  },
};

/**
 * An app whose HRIS queue is this test's own, with the worker that applies it: `applied()` works
 * the queue off, as the worker Lambda (or `npm start`'s worker) would.
 */
export function hrisRuntime(options: { now?: () => Date; database?: { db: Db; endpoint: string } } = {}) {
  const queueName = `HRIS_TEST_${randomUUID()}`;
  const db = options.database?.db ?? testDb();
  const app = testApp({
    ...(options.database ?? {}),
    ...(options.now ? { now: options.now } : {}),
    hris: { queue: new TableHrisQueue(db, queueName) },
  });
  const worker = createLocalHris({
    db,
    cursorSecret: CURSOR_SECRET,
    sealer: testSealer,
    queueName,
    // Thin webhooks' fetches reach the recorded provider APIs on 127.0.0.1.
    urlPolicy: loopbackUrlPolicy,
    ...(options.now ? { now: options.now } : {}),
    onError: (error) => {
      throw error;
    },
  });
  return { app, applied: () => worker.drain() };
}

type App = ReturnType<typeof testApp>;

/** A tenant with one connection of `provider`; `secret` is what the provider signs with. */
export async function connected(app: App, provider: string, body: Record<string, unknown> = {}) {
  const { key, tenantId } = await newTenant(app);
  const created = await call(app, 'POST', '/v1/hris-connections', { key, body: { provider, ...body } });
  if (created.status !== 201) throw new Error(`connection: ${created.status} ${created.text}`);
  const id = created.json.id as string;
  return {
    key,
    tenantId,
    id,
    secret: (created.json.secret ?? body.secret) as string,
    post: (raw: string, headers: Record<string, string>) =>
      call(app, 'POST', `/v1/hris/${id}/webhooks`, {
        body: raw,
        headers: { 'content-type': 'application/json', ...headers },
      }),
    log: async () =>
      (await call(app, 'GET', `/v1/hris-connections/${id}/events?limit=100`, { key })).json.items as any[],
    person: async (email: string) => {
      const people = await call(app, 'GET', '/v1/people?limit=100', { key });
      return (people.json.items as any[]).find((p) => p.email === email);
    },
  };
}
