import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, expect, test } from 'vitest';
import { SqsHrisQueue } from '../../functions/hris-sqs.ts';
import { testApp } from '../support/app.ts';
import { connected, sign } from '../support/hris.ts';

/**
 * The AWS path of acknowledging a delivery: claim the receipt, send the changes to SQS FIFO,
 * release the claim if SQS refuses them. SQS is the one test double here: a server on 127.0.0.1
 * that speaks its JSON protocol and refuses a send (a `Failed` entry, or an HTTP 500) when told to.
 */
const sqs = { refuse: undefined as 'entries' | 'status' | undefined, sent: [] as any[] };
const server = createServer((request, response) => {
  let raw = '';
  request.on('data', (chunk) => (raw += chunk));
  request.on('end', () => {
    const input = JSON.parse(raw);
    response.setHeader('content-type', 'application/x-amz-json-1.0');
    if (request.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch' || sqs.refuse === 'status') {
      response.statusCode = 500;
      response.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: 'unavailable' }));
      return;
    }
    const entries = input.Entries as { Id: string; MessageBody: string }[];
    if (sqs.refuse === 'entries') {
      response.end(
        JSON.stringify({
          Successful: [],
          Failed: entries.map(({ Id }) => ({ Id, Code: 'InternalError', SenderFault: false, Message: 'no' })),
        }),
      );
      return;
    }
    sqs.sent.push(...entries);
    response.end(
      JSON.stringify({
        Successful: entries.map(({ Id, MessageBody }) => ({
          Id,
          MessageId: `m-${sqs.sent.length}-${Id}`,
          MD5OfMessageBody: createHash('md5').update(MessageBody).digest('hex'),
        })),
        Failed: [],
      }),
    );
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const client = new SQSClient({
  endpoint,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});
const app = testApp({ hris: { queue: new SqsHrisQueue(client, `${endpoint}/000000000000/hris.fifo`) } });
afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

test.each(['entries', 'status'] as const)(
  'SQS refusing the changes (%s) releases the claim: the 5xx is retried and then taken, not dropped as a duplicate',
  async (refusal) => {
    const c = await connected(app, 'standard');
    const body = JSON.stringify({
      type: 'employee.created',
      timestamp: '2026-01-01T00:00:00Z',
      data: { externalId: `Q-${refusal}`, name: 'Queued Person', email: `q-${refusal}@sqs.example.com` },
    });
    const headers = sign.standard(body, c.secret);

    sqs.refuse = refusal;
    const refused = await c.post(body, headers);
    expect(refused.status).toBeGreaterThanOrEqual(500);

    sqs.refuse = undefined;
    const retried = await c.post(body, headers);
    expect(retried.status).toBe(202);
    const messages = sqs.sent.filter((entry) => JSON.parse(entry.MessageBody).connectionId === c.id);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0].MessageBody).change.snapshot.externalId).toBe(`Q-${refusal}`);

    // Once sent, the claim stands: the next redelivery is a duplicate and sends nothing.
    expect((await c.post(body, headers)).status).toBe(200);
    expect(sqs.sent.filter((entry) => JSON.parse(entry.MessageBody).connectionId === c.id)).toHaveLength(1);
  },
);
