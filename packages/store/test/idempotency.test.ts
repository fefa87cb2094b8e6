import { randomBytes, randomUUID } from 'node:crypto';
import { expect, inject, test } from 'vitest';
import {
  BODY_BYTES_PER_ITEM,
  createDocumentClient,
  createDynamoClient,
  type Db,
  type IdempotencyClaim,
  IdempotencyStore,
  keys,
  queryAll,
  type StoredResponse,
} from '../src/index.ts';

const db: Db = {
  doc: createDocumentClient(createDynamoClient({ endpoint: inject('dynamoEndpoint') })),
  tableName: inject('tableName'),
};
const store = new IdempotencyStore(db);
const t0 = new Date('2026-01-05T09:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

/** Random bytes are not valid UTF-8, so only a byte-exact store gives them back unchanged. */
const response = (bytes: number): StoredResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: new Uint8Array(randomBytes(bytes)),
});

function held(claim: IdempotencyClaim) {
  if (claim.state !== 'claimed') throw new Error(`expected a claim, got ${claim.state}`);
  return claim.held;
}

function replayed(claim: IdempotencyClaim) {
  if (claim.state !== 'completed') throw new Error(`expected a stored response, got ${claim.state}`);
  return claim.response;
}

const recordItems = (scope: string, key: string) =>
  queryAll(db, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.idempotencyHead(scope, key).PK },
  });

test('a body several times larger than a DynamoDB item replays byte for byte and expires whole', async () => {
  const scope = `ten_${randomUUID()}`;
  const first = response(4 * BODY_BYTES_PER_ITEM + 12_345);
  await store.complete(held(await store.claim(scope, 'big', 'fp', t0)), first);

  const replay = replayed(await store.claim(scope, 'big', 'fp', later(1000)));
  expect(replay.status).toBe(200);
  expect(replay.headers).toEqual(first.headers);
  expect(Buffer.from(replay.body).equals(Buffer.from(first.body))).toBe(true);

  const items = await recordItems(scope, 'big');
  expect(items).toHaveLength(6);
  const head = items.find((item) => item.SK === 'HEAD')!;
  expect(head.expiresAt).toBe(Math.floor(t0.getTime() / 1000) + 24 * 3600);
  for (const item of items) expect(item.expiresAt).toBe(head.expiresAt);
});

test('a small body stays on the one head item', async () => {
  const scope = `ten_${randomUUID()}`;
  const first = response(BODY_BYTES_PER_ITEM);
  await store.complete(held(await store.claim(scope, 'small', 'fp', t0)), first);
  expect(await recordItems(scope, 'small')).toHaveLength(1);
  const replay = replayed(await store.claim(scope, 'small', 'fp', later(1000)));
  expect(Buffer.from(replay.body).equals(Buffer.from(first.body))).toBe(true);
});

test('a claim that timed out and was taken over can neither complete nor release the record', async () => {
  const scope = `ten_${randomUUID()}`;
  const slow = held(await store.claim(scope, 'k', 'fp', t0));
  expect((await store.claim(scope, 'k', 'fp', later(1000))).state).toBe('in_progress');
  const takeover = held(await store.claim(scope, 'k', 'fp', later(61_000)));

  await store.complete(slow, response(3 * BODY_BYTES_PER_ITEM));
  expect((await store.claim(scope, 'k', 'fp', later(62_000))).state).toBe('in_progress');
  const kept = response(2 * BODY_BYTES_PER_ITEM);
  await store.complete(takeover, kept);
  await store.release(slow);

  const replay = replayed(await store.claim(scope, 'k', 'fp', later(63_000)));
  expect(Buffer.from(replay.body).equals(Buffer.from(kept.body))).toBe(true);
});

test('a record past its day is gone, even before TTL has deleted it', async () => {
  const scope = `ten_${randomUUID()}`;
  await store.complete(held(await store.claim(scope, 'day', 'first', t0)), response(10));
  expect((await store.claim(scope, 'day', 'second', later(24 * 3600_000 - 1000))).state).toBe('completed');
  expect((await store.claim(scope, 'day', 'second', later(24 * 3600_000))).state).toBe('claimed');
});
