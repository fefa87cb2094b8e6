import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PreconditionFailedError, stampEvent } from '@tandem/core';
import { expect, inject, test } from 'vitest';
import {
  createDocumentClient,
  createDynamoClient,
  type Db,
  keys,
  MAX_TRANSACTION_ITEMS,
  versionCondition,
  WriteGathering,
  type WriteOp,
} from '../src/index.ts';

const db: Db = {
  doc: createDocumentClient(createDynamoClient({ endpoint: inject('dynamoEndpoint') })),
  tableName: inject('tableName'),
};

const tenantId = `tenant_${randomUUID()}`;
const keyOf = (name: string) => ({ PK: `T#${tenantId}#PROBE#${name}`, SK: 'PROBE' });

/** A Put of the named item at `version`, conditional on the version it replaces (none: a new item). */
const put = (name: string, version: number, replaces?: number): WriteOp => ({
  item: {
    Put: { TableName: '', Item: { ...keyOf(name), entity: 'probe', version }, ...versionCondition(replaces) },
  },
  onConditionFailed: () => new PreconditionFailedError(`${name} changed meanwhile`),
});

const versionOf = async (name: string) =>
  (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keyOf(name), ConsistentRead: true })))
    .Item?.version;

test('gathered writes land together; a refused group fails alone, with its error, and the others still land', async () => {
  const created = new WriteGathering(db, 3);
  await Promise.all(['a', 'b', 'c'].map((name) => created.member().write([put(name, 1)], [])));
  expect(await Promise.all(['a', 'b', 'c'].map(versionOf))).toEqual([1, 1, 1]);

  // `b` is written meanwhile: the group that replaces its version 1 loses the race.
  const gathering = new WriteGathering(db, 4);
  const [a, b, c, quiet] = [1, 2, 3, 4].map(() => gathering.member()) as [
    ReturnType<WriteGathering['member']>,
    ReturnType<WriteGathering['member']>,
    ReturnType<WriteGathering['member']>,
    ReturnType<WriteGathering['member']>,
  ];
  await new WriteGathering(db, 1).member().write([put('b', 2, 1)], []);
  const event = stampEvent(
    {
      type: 'relationship.recovered',
      data: { relationshipId: 'rel_x', programId: 'prg_x', score: 80, threshold: 50 },
    },
    tenantId,
    new Date(),
  );
  const outcomes = Promise.allSettled([
    a.write([put('a', 2, 1)], [event]),
    b.write([put('b', 2, 1)], []),
    c.write([put('c', 2, 1), put('d', 1)], []),
  ]);
  // Nothing is sent while a member may still write.
  expect(await versionOf('a')).toBe(1);
  quiet.done();
  const [wroteA, wroteB, wroteC] = await outcomes;
  expect(wroteA.status).toBe('fulfilled');
  expect(wroteC.status).toBe('fulfilled');
  expect(wroteB).toMatchObject({ status: 'rejected', reason: expect.any(PreconditionFailedError) });
  expect(await Promise.all(['a', 'b', 'c', 'd'].map(versionOf))).toEqual([2, 2, 2, 1]);
  const outbox = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.event(tenantId, event.id), ConsistentRead: true }),
  );
  expect(outbox.Item?.type).toBe('relationship.recovered');
});

test('gathered writes fill transactions of at most MAX_TRANSACTION_ITEMS items, groups kept whole', async () => {
  const members = 70;
  const gathering = new WriteGathering(db, members);
  // Groups of two items: 70 of them are 140 items, more than one transaction holds.
  await Promise.all(
    Array.from({ length: members }, (_, i) =>
      gathering.member().write([put(`many${i}`, 1), put(`many${i}-pair`, 1)], []),
    ),
  );
  const versions = await Promise.all(
    Array.from({ length: members }, (_, i) => [versionOf(`many${i}`), versionOf(`many${i}-pair`)]).flat(),
  );
  expect(versions.every((version) => version === 1)).toBe(true);
  expect(MAX_TRANSACTION_ITEMS).toBeLessThan(members * 2);
});

test('groups that touch one item go in separate transactions, and both land', async () => {
  // Unconditional, like a shared per-program item two evaluations of one page may both write:
  // DynamoDB refuses a transaction with two operations on one item, both groups with it.
  const overwrite = (version: number): WriteOp => ({
    item: { Put: { TableName: '', Item: { ...keyOf('shared'), entity: 'probe', version } } },
  });
  const gathering = new WriteGathering(db, 3);
  const outcomes = await Promise.allSettled([
    gathering.member().write([overwrite(1), put('first-own', 1)], []),
    gathering.member().write([overwrite(2), put('second-own', 1)], []),
    gathering.member().write([put('third-own', 1)], []),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  expect([1, 2]).toContain(await versionOf('shared'));
  expect(await Promise.all(['first-own', 'second-own', 'third-own'].map(versionOf))).toEqual([1, 1, 1]);
});
