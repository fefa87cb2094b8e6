import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
    'v6-internal.example.com': '::a00:5',
    'v6-hooks.example.com': '2606:4700::1111',
  };
  const resolve = async (host: string) =>
    dns[host] ? [{ address: dns[host], family: dns[host].includes(':') ? 6 : 4 }] : [];
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
    // IPv6 forms that carry or stand for non-public addresses.
    'https://[::10.0.0.5]/hook',
    'https://[::a00:5]/hook',
    'https://[::5db8:d822]/hook',
    'https://[::ffff:93.184.216.34]/hook',
    'https://[::ffff:0:a00:5]/hook',
    'https://[64:ff9b::10.0.0.5]/hook',
    'https://[64:ff9b::7f00:1]/hook',
    'https://[64:ff9b:1::5db8:d822]/hook',
    'https://[2002:a00:5::1]/hook',
    'https://[2002:a9fe:a9fe::1]/hook',
    'https://[2001::5db8:d822]/hook',
    'https://[100::1]/hook',
    'https://[2001:db8::1]/hook',
    'https://[fc00::1]/hook',
    'https://[fd12:3456::1]/hook',
    'https://[fec0::1]/hook',
    'https://[4000::1]/hook',
    'https://v6-internal.example.com/hook',
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
    for (const [url, address] of [
      ['https://[2606:4700::1111]/tandem', '2606:4700::1111'],
      ['https://v6-hooks.example.com/tandem', '2606:4700::1111'],
      // Well-known NAT64 and 6to4 carrying a public IPv4 address (IPv6-only networks with DNS64).
      ['https://[64:ff9b::93.184.216.34]/tandem', '64:ff9b::5db8:d822'],
      ['https://[2002:5db8:d822::1]/tandem', '2002:5db8:d822::1'],
    ])
      expect(await checkTarget(url!, strict)).toMatchObject({ address, family: 6 });
  });

  test('a URL with a bidi override or NUL is refused by the schema, naming the field', async () => {
    const app = testApp();
    const { key } = await newTenant(app);
    for (const url of ['https://hooks.example.com/\u202Eexe.hook', 'https://hooks.example.com/a\u0000b']) {
      const res = await call(app, 'POST', '/v1/webhook-endpoints', { key, body: { url } });
      expect(res.status).toBe(400);
      expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual(['/url']);
    }
  });

  test('public IPv6 literals pass the URL schema; the guard then judges the address', async () => {
    const app = testApp();
    const { key } = await newTenant(app);
    const ok = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: 'https://[2606:4700::1111]/hook' },
    });
    expect(ok.status).toBe(201);
    expect(ok.json.url).toBe('https://[2606:4700::1111]/hook');
    const compatible = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: 'https://[::10.0.0.5]/hook' },
    });
    expect(compatible.status).toBe(422);
    expect(compatible.json.errors[0].field).toBe('/url');
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

describe('IPv6 endpoints', () => {
  let runtime: Awaited<ReturnType<typeof webhookRuntime>>;
  beforeAll(async () => {
    runtime = await webhookRuntime();
  });
  afterAll(() => runtime.stop());

  test('an IPv6 literal endpoint registers and is delivered to at its address', async () => {
    // The endpoint also hears about its own creation (endpoint.created): only the ping counts.
    const received: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (JSON.parse(Buffer.concat(chunks).toString('utf8')).type === 'webhook.test')
          received.push(req.socket.localAddress ?? '');
        res.writeHead(204).end();
      });
    });
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '::1', () => resolve((server.address() as AddressInfo).port)),
    );
    const { app } = runtime;
    const { key } = await newTenant(app);
    const endpoint = await call(app, 'POST', '/v1/webhook-endpoints', {
      key,
      body: { url: `http://[::1]:${port}/hooks` },
    });
    expect(endpoint.status).toBe(201);
    const sent = await call(app, 'POST', `/v1/webhook-endpoints/${endpoint.json.id}/test`, { key });
    expect(sent.json.status).toBe('succeeded');
    expect(received).toEqual(['::1']);
    await new Promise((resolve) => server.close(resolve));
  });
});
