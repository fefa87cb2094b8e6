import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createLocalWebhooks } from '@tandem/local';
import { type DeliveryPolicy, defaultDeliveryPolicy } from '@tandem/webhooks';
import { CURSOR_SECRET, loopbackDns, testApp, testSealer } from './app.ts';
import { ownDatabase } from './own-database.ts';

/** Fast retries so a test sees a whole schedule in about a second; loopback receivers allowed. */
export const fastPolicy: DeliveryPolicy = {
  ...defaultDeliveryPolicy,
  allowInsecureUrls: true,
  retryDelaysMs: [0, 50, 100, 150, 200, 250, 300, 350],
  jitter: 0,
  leaseMs: 2_000,
  timeoutMs: 2_000,
  resolveHost: loopbackDns,
};

/**
 * The local webhook runtime (stream poller + delivery worker) on a database of its own, so its
 * stream and queue see only this test file's events, and an app wired to it.
 */
export async function webhookRuntime(policy: Partial<DeliveryPolicy> = {}) {
  const database = await ownDatabase();
  const { db, endpoint } = database;
  const errors: unknown[] = [];
  const runtime = createLocalWebhooks({
    dynamoEndpoint: endpoint,
    db,
    cursorSecret: CURSOR_SECRET,
    sealer: testSealer,
    policy: { ...fastPolicy, ...policy },
    pollIntervalMs: 25,
    onError: (error) => errors.push(error),
  });
  runtime.start();
  const app = testApp({ db, endpoint, webhooks: runtime });
  return {
    app,
    db,
    errors,
    async stop() {
      await runtime.stop();
      await database.stop();
    },
  };
}

export interface Received {
  headers: Record<string, string>;
  body: string;
  path: string;
}

/** What the receiver answers; undefined leaves the request hanging (a receiver that stalls mid-delivery). */
type Responder = (
  request: Received,
  index: number,
) => { status: number; headers?: Record<string, string | undefined>; body?: string } | undefined;

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as told. */
export async function receiver(respond: Responder = () => ({ status: 200, body: 'ok' })) {
  const requests: Received[] = [];
  let responder = respond;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: Received = {
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
        path: req.url ?? '/',
      };
      requests.push(received);
      const answer = responder(received, requests.length - 1);
      if (answer)
        res.writeHead(answer.status, answer.headers as Record<string, string>).end(answer.body ?? '');
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/hooks/tandem`,
    port,
    requests,
    respondWith(next: Responder) {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
