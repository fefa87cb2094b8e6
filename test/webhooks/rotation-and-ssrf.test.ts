import { checkTarget, UnsafeUrlError } from '@tandem/webhooks';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, newTenant, testApp } from '../support/app.ts';
import { receiver, webhookRuntime } from '../support/webhooks.ts';

describe('secret rotation', () => {
  let runtime: Awaited<ReturnType<typeof webhookRuntime>>;
  beforeAll(async () => {
    runtime = await webhookRuntime();
  });
  afterAll(() => runtime.stop());

  test('during the overlap both secrets verify; without one only the new secret does', async () => {
    const { app } = runtime;
    const { key } = await newTenant(app);
    const hooks = await receiver();
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url: hooks.url } });
    const oldSecret = endpoint.json.secret;

    const rotated = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/rotate-secret`, {
      key,
      body: { overlapSeconds: 3600 },
    });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.json.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.json.previousSecretExpiresAt).toBeDefined();

    const overlap = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
    expect(overlap.json.status).toBe('succeeded');
    const during = hooks.requests.find((r) => r.headers['webhook-id'] === overlap.json.eventId)!;
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret])
      expect(() => new Webhook(secret).verify(during.body, during.headers)).not.toThrow();

    const again = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/rotate-secret`, {
      key,
      body: { overlapSeconds: 0 },
    });
    const after = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
    const single = hooks.requests.find((r) => r.headers['webhook-id'] === after.json.eventId)!;
    expect(single.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(() => new Webhook(again.json.secret).verify(single.body, single.headers)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(single.body, single.headers)).toThrow();
    await hooks.close();
  });
});

describe('SSRF guard', () => {
  // The AWS policy: https only, public addresses only. Test DNS answers from a table, never the network.
  const dns: Record<string, string> = {
    'internal.example.com': '10.1.2.3',
    'hooks.example.com': '93.184.216.34',
  };
  const resolve = async (host: string) => (dns[host] ? [{ address: dns[host], family: 4 }] : []);
  const strict = { allowInsecure: false, resolve };

  const refused = [
    'http://hooks.example.com/plain-http',
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.8/hook',
    'https://172.16.5.4/hook',
    'https://192.168.1.10/hook',
    'https://100.64.0.1/hook',
    'https://[::ffff:10.0.0.5]/hook',
    'https://[fd00:ec2::254]/hook',
    'https://[fe80::1]/hook',
    'https://0x7f000001/hook',
    'https://2130706433/hook',
    'https://0.0.0.0/hook',
    'https://224.0.0.1/hook',
    'https://internal.example.com/hook',
    'https://nowhere.example.com/hook',
    'https://user:pass@hooks.example.com/hook',
  ];

  test.each(refused)('refuses %s', async (url) => {
    await expect(checkTarget(url, strict)).rejects.toBeInstanceOf(UnsafeUrlError);
  });

  test('accepts public https targets and pins the checked address', async () => {
    expect(await checkTarget('https://hooks.example.com/tandem', strict)).toMatchObject({
      address: '93.184.216.34',
      family: 4,
    });
    expect(await checkTarget('https://93.184.216.34/tandem', strict)).toMatchObject({
      address: '93.184.216.34',
    });
  });

  test('the local policy allows http to loopback, but still not private networks', async () => {
    const local = { allowInsecure: true, resolve };
    await expect(checkTarget('http://127.0.0.1:8080/hook', local)).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await expect(checkTarget('http://10.0.0.8/hook', local)).rejects.toBeInstanceOf(UnsafeUrlError);
  });

  test('registration refuses an unsafe URL with a problem naming the field', async () => {
    const app = testApp();
    const { key } = await newTenant(app);
    for (const url of [
      'http://127.0.0.1:9/hook',
      'https://169.254.169.254/',
      'https://0x7f000001/',
      'https://localhost/',
    ]) {
      const res = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url } });
      expect({ url, status: res.status }).toEqual({ url, status: 422 });
      expect(res.json.errors[0].field).toBe('/url');
    }
    expect((await call(app, 'GET', '/v1/webhook-endpoints', { key })).json.items).toHaveLength(0);
  });
});
