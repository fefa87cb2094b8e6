import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '@tandem/core';
import { StreamCheckpoints, StreamPoller } from '@tandem/local';
import { createDocumentClient, createDynamoClient, ensureTable } from '@tandem/store';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sharedDynamoEndpoint } from '../support/shared-dynamodb.ts';

const endpoint = sharedDynamoEndpoint();
const client = createDynamoClient({ endpoint });
const doc = createDocumentClient(client);
const streams = new DynamoDBStreamsClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
// A table of its own: its stream holds only what this file and the poller write.
const tableName = `poller-${randomUUID()}`;
const dataDir = mkdtempSync(join(tmpdir(), 'tandem-poller-'));
const checkpointFile = join(dataDir, 'stream-checkpoints.json');

beforeAll(() => ensureTable(client, tableName));
afterAll(() => {
  streams.destroy();
  client.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

async function writeEvent(id: string) {
  await doc.send(
    new PutCommand({ TableName: tableName, Item: { PK: 'T#poller#EVENTS', SK: id, entity: 'event', id } }),
  );
}

/** Every record the table's stream holds, read from the start by a reader of its own. */
async function streamRecordCount(): Promise<number> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn! }),
  );
  let count = 0;
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table!.LatestStreamArn!,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      count += page.Records?.length ?? 0;
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
  }
  return count;
}

function poller(handled: string[]) {
  return new StreamPoller(
    endpoint,
    tableName,
    new StreamCheckpoints(checkpointFile),
    async (events: StoredEvent[]) => {
      handled.push(...events.map((event) => event.id));
    },
  );
}

test('an idle poller writes nothing: no stream records, no checkpoint rewrites', async () => {
  const handled: string[] = [];
  const first = poller(handled);
  await writeEvent('evt_idle');
  expect(await first.pollOnce()).toBe(1);
  expect(handled).toEqual(['evt_idle']);

  const records = await streamRecordCount();
  const checkpoint = statSync(checkpointFile).mtimeMs;
  const saved = readFileSync(checkpointFile, 'utf8');
  for (let round = 0; round < 5; round++) expect(await first.pollOnce()).toBe(0);
  expect(await streamRecordCount()).toBe(records);
  expect(statSync(checkpointFile).mtimeMs).toBe(checkpoint);
  expect(readFileSync(checkpointFile, 'utf8')).toBe(saved);
  first.destroy();
});

/**
 * A forwarder on 127.0.0.1 between a poller and DynamoDB Local that notes the operation of every
 * request, so a test can count what a poll asks for.
 */
async function countingForwarder() {
  const operations: string[] = [];
  const target = new URL(endpoint);
  const server = createServer((incoming, outgoing) => {
    operations.push(String(incoming.headers['x-amz-target']).split('.').at(-1)!);
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    operations,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

test("an idle poll asks only for the open shards' records: no stream listed or described again while its shards are open", async () => {
  const forwarder = await countingForwarder();
  const handled: string[] = [];
  const reader = new StreamPoller(
    forwarder.url,
    tableName,
    new StreamCheckpoints(checkpointFile),
    async (events) => {
      handled.push(...events.map((event) => event.id));
    },
  );
  await writeEvent('evt_counted');
  await reader.pollOnce();
  expect(handled).toContain('evt_counted');
  expect(forwarder.operations).toContain('DescribeStream');

  forwarder.operations.length = 0;
  for (let round = 0; round < 5; round++) await reader.pollOnce();
  expect(new Set(forwarder.operations)).toEqual(new Set(['GetRecords']));

  reader.destroy();
  await forwarder.close();
});

test('a restarted poller resumes after its checkpoint: nothing handled twice, nothing skipped', async () => {
  const before: string[] = [];
  const running = poller(before);
  await writeEvent('evt_before_stop');
  await running.pollOnce();
  expect(before).toContain('evt_before_stop');
  running.destroy();

  // Written while no poller runs, as during a restart.
  await writeEvent('evt_while_down');
  const after: string[] = [];
  const restarted = poller(after);
  await restarted.pollOnce();
  expect(after).toEqual(['evt_while_down']);
  restarted.destroy();
});

test('a batch whose handling fails is read again, and nothing after it is checkpointed before it', async () => {
  // Starts where the earlier tests left the checkpoint.
  const handled: string[] = [];
  poller(handled).destroy();
  let failing = true;
  let release!: () => void;
  const slow = new Promise<void>((resolve) => {
    release = resolve;
  });
  const seen: string[][] = [];
  const flaky = new StreamPoller(
    endpoint,
    tableName,
    new StreamCheckpoints(checkpointFile),
    async (events: StoredEvent[]) => {
      const ids = events.map((event) => event.id);
      seen.push(ids);
      // The first batch is still being handled when a later one arrives and fails.
      if (ids.includes('evt_slow') && seen.length === 1) await slow;
      if (ids.includes('evt_fails') && failing) throw new Error('relay down');
    },
  );
  await writeEvent('evt_slow');
  const polling = flaky.pollOnce();
  await expect.poll(() => seen.length).toBe(1);
  await writeEvent('evt_fails');
  // Read while the first batch is still in hand: a slow batch does not hold back the next.
  await expect.poll(() => seen.flat()).toContain('evt_fails');
  const saved = readFileSync(checkpointFile, 'utf8');
  release();
  await expect(polling).rejects.toThrow('relay down');
  // The slow batch was handled, but the failed one is not behind the checkpoint.
  expect(readFileSync(checkpointFile, 'utf8')).not.toBe(saved);

  failing = false;
  seen.length = 0;
  await flaky.pollOnce();
  expect(seen.flat()).toEqual(['evt_fails']);
  flaky.destroy();

  const restarted: string[] = [];
  const after = poller(restarted);
  await writeEvent('evt_after');
  await after.pollOnce();
  expect(restarted).toEqual(['evt_after']);
  after.destroy();
});

test('a stream turned off and on again: the poller reads the rest of the old one, then the new one', async () => {
  const handled: string[] = [];
  const running = poller(handled);
  await running.pollOnce();
  await writeEvent('evt_before_off');
  await client.send(
    new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
  );
  expect(await running.pollOnce()).toBe(1);
  // A table's streams are told apart by their labels (creation times, to the millisecond).
  await new Promise((resolve) => setTimeout(resolve, 5));
  await ensureTable(client, tableName);
  await writeEvent('evt_after_on');
  expect(await running.pollOnce()).toBe(1);
  expect(handled).toEqual(['evt_before_off', 'evt_after_on']);
  running.destroy();
});
