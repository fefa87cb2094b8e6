import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { gatherTransactions } from '@tandem/local';
import { createDocumentClient, createDynamoClient } from '@tandem/store';
import { expect, inject, test } from 'vitest';

const TableName = inject('tableName');

/** A gathering client, and the TransactWriteItems calls that reached DynamoDB Local (their item counts). */
function gathered() {
  const client = createDynamoClient({ endpoint: inject('dynamoEndpoint') });
  const sent: number[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand')
        sent.push((args.input as { TransactItems: unknown[] }).TransactItems.length);
      return next(args);
    },
    { step: 'initialize', name: 'countTransactions' },
  );
  const doc = createDocumentClient(client);
  return { doc: gatherTransactions(doc), plain: doc, sent };
}

const key = (name: string) => ({ PK: `GATHER#${randomUUID()}`, SK: name });
const put = (item: Record<string, unknown>) => ({
  Put: { TableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' },
});
const check = (k: Record<string, string>, exists: boolean) => ({
  ConditionCheck: {
    TableName,
    Key: k,
    ConditionExpression: exists ? 'attribute_exists(PK)' : 'attribute_not_exists(PK)',
  },
});
const write = (doc: { send: (c: TransactWriteCommand) => Promise<unknown> }, items: unknown[]) =>
  doc.send(new TransactWriteCommand({ TransactItems: items as never })).then(
    () => 'written',
    (error: unknown) =>
      error instanceof TransactionCanceledException
        ? (error.CancellationReasons ?? []).map((r) => r.Code)
        : String(error),
  );
const exists = async (doc: ReturnType<typeof gathered>['plain'], k: Record<string, string>) =>
  (await doc.send(new GetCommand({ TableName, Key: k, ConsistentRead: true }))).Item !== undefined;

test('transactions sent together are one call, identical condition checks once; each is still all or nothing', async () => {
  const { doc, plain, sent } = gathered();
  const shared = key('shared');
  await plain.send(new TransactWriteCommand({ TransactItems: [put(shared)] }));
  const taken = key('taken');
  await plain.send(new TransactWriteCommand({ TransactItems: [put(taken)] }));
  sent.length = 0;

  const a = [key('a1'), key('a2')];
  const b = [key('b1')];
  const c = [key('c1')];
  const outcomes = await Promise.all([
    write(doc, [check(shared, true), put(a[0]!), put(a[1]!)]),
    write(doc, [check(shared, true), put(b[0]!)]),
    // Fails on its own condition: refused with its own reasons, the others written without it.
    write(doc, [put(c[0]!), check(taken, false)]),
  ]);

  expect(outcomes).toEqual(['written', 'written', ['None', 'ConditionalCheckFailed']]);
  // One call of the three (the shared check once: 6 items, not 7), then the two left.
  expect(sent).toEqual([6, 4]);
  for (const k of [...a, ...b]) expect(await exists(plain, k)).toBe(true);
  expect(await exists(plain, c[0]!)).toBe(false);
});

test('transactions that name one item go in different transactions: one wins, the other fails as it would alone', async () => {
  const { doc, plain, sent } = gathered();
  const same = key('same');
  const other = key('other');
  const third = key('third');
  const outcomes = await Promise.all([
    write(doc, [put({ ...same, by: 'first' })]),
    write(doc, [put(other), put({ ...same, by: 'second' })]),
    write(doc, [put(third)]),
  ]);

  // The first and the third together, the second alone: whichever reached the item first wins.
  expect(sent.slice(0, 2)).toEqual([2, 2]);
  const { Item } = await plain.send(new GetCommand({ TableName, Key: same, ConsistentRead: true }));
  expect(outcomes[2]).toBe('written');
  expect(await exists(plain, third)).toBe(true);
  if (Item?.by === 'first') {
    expect(outcomes.slice(0, 2)).toEqual(['written', ['None', 'ConditionalCheckFailed']]);
    expect(await exists(plain, other)).toBe(false);
  } else {
    expect(outcomes.slice(0, 2)).toEqual([['ConditionalCheckFailed'], 'written']);
  }
});
