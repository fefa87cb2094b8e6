import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { type LocalHttpServer, listen } from '@tandem/local';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newTenant, testApp } from '../support/app.ts';

const app = testApp();
let server: LocalHttpServer;
let key: string;

beforeAll(async () => {
  server = await listen(0);
  server.attach(app.fetch);
  ({ key } = await newTenant(app));
});
afterAll(() => server.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request through `agent`, which keeps its one socket alive between requests as browsers and SDKs do. */
function send(
  agent: Agent,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const keepAlive = () => new Agent({ keepAlive: true, maxSockets: 1 });

function expectProblem(answer: Answer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(answer.body)).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
  });
}

describe('the local HTTP server at its edges', () => {
  test('after a 413 the client’s next request on the same keep-alive agent succeeds', async () => {
    const agent = keepAlive();
    const big = JSON.stringify({ name: 'x'.repeat(300_000), email: 'big@example.com' });
    for (let round = 0; round < 5; round++) {
      const refused = await send(
        agent,
        'POST',
        '/v1/people',
        { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        big,
      );
      expectProblem(refused, 413);
      const next = await send(agent, 'GET', '/openapi.json');
      expect(next.status).toBe(200);
    }
    agent.destroy();
  });

  test('a 100 KB Authorization header is a 431 problem, and the connection closes cleanly', async () => {
    const agent = keepAlive();
    const answer = await send(agent, 'GET', '/v1/people', { authorization: `Bearer ${'k'.repeat(100_000)}` });
    expectProblem(answer, 431);
    expect(answer.headers.connection).toBe('close');
    expect((await send(agent, 'GET', '/openapi.json')).status).toBe(200);
    agent.destroy();
  });

  test('bytes that are not HTTP get a 400 problem and a closed connection', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/);
    expect(head).toMatch(/\r\nConnection: close(\r\n|$)/);
    expect(JSON.parse(body!)).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  test('a wrong method on a real path is a 405 problem with Allow; the connection stays usable', async () => {
    const agent = keepAlive();
    const auth = { authorization: `Bearer ${key}` };
    const collection = await send(agent, 'DELETE', '/v1/people', auth);
    expectProblem(collection, 405);
    expect(collection.headers.allow).toBe('GET, HEAD, POST');
    const item = await send(agent, 'PUT', '/v1/people/per_01J00000000000000000000000', auth);
    expectProblem(item, 405);
    expect(item.headers.allow).toBe('GET, HEAD, PATCH');
    expectProblem(await send(agent, 'GET', '/v1/no-such-things', auth), 404);
    expect((await send(agent, 'GET', '/v1/people', auth)).status).toBe(200);
    agent.destroy();
  });
});

test('an error that escapes the app is logged with its cause and answered with a 500 problem', async () => {
  const logged: { error: unknown; path: string }[] = [];
  const failing = await listen(0, (error, request) =>
    logged.push({ error, path: new URL(request.url).pathname }),
  );
  try {
    const cause = new Error('TransactionConflict past the retries');
    failing.attach(() => Promise.reject(cause));
    const response = await fetch(`http://127.0.0.1:${failing.port}/v1/hris-connections`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { detail: string };
    expect(body).toMatchObject({ status: 500, instance: '/v1/hris-connections' });
    expect(body.detail).not.toContain('TransactionConflict');
    expect(logged).toEqual([{ error: cause, path: '/v1/hris-connections' }]);
  } finally {
    await failing.close();
  }
});
