/**
 * npx tsx test/bench/publish-items-probe.ts [-- --rounds 2]
 *
 * What an item of a publish's transactions costs DynamoDB Local, by what the item carries: a
 * DynamoDB Local of its own (in memory, Tandem's table with its stream and indexes, no stream
 * reader), warmed up, then transactions of 95 puts, 8 in flight as the Publish step sends them,
 * in variants that differ in one thing each, alternated round by round. Prints DynamoDB Local's
 * CPU per item (and by thread) for each variant: the share of a condition, of index keys, of the
 * item's size, and a BatchWriteItem put for comparison.
 */
import { parseArgs } from 'node:util';
import { BatchWriteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '@tandem/local';
import { createDocumentClient, createDynamoClient, ensureTable } from '@tandem/store';
import { childThreadsCpuSeconds, descendantsCpuSeconds, threadsLine } from './cpu.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' } } });
const ROUNDS = Number(values.rounds);
const PER_TRANSACTION = 95;
const IN_FLIGHT = 8;
const TRANSACTIONS = 100;
const TABLE = 'probe';

type Variant = 'plain' | 'condition' | 'condition+index' | 'large+condition' | 'batch';
const VARIANTS: Variant[] = ['plain', 'condition', 'condition+index', 'large+condition', 'batch'];

/** About a relationship's explanation and members: what makes its item about 1 KB. */
const padding = {
  members: [
    { personId: 'per_01JABCDEFGHJKMNPQRSTVWXYZ0', role: 'peer' },
    { personId: 'per_01JABCDEFGHJKMNPQRSTVWXYZ1', role: 'peer' },
  ],
  explanation: {
    contributions: { skills: 0.31, goals: 0.12, department: 0.05, languages: 0.02 },
    reasons: ['Shares a goal: Goal 12', 'Offers sql, wanted by the other', 'Different departments'],
  },
  notes: 'x'.repeat(500),
};

let serial = 0;
function item(variant: Variant) {
  const id = `rel_${String(++serial).padStart(10, '0')}`;
  return {
    PK: `T#probe#${variant}`,
    SK: `REL#${id}`,
    entity: 'relationship',
    id,
    status: 'active',
    createdAt: '2026-12-03T22:00:00.000Z',
    version: 1,
    ...(variant === 'condition+index' ? { GSI1PK: `T#probe#ONGOING#${id}`, GSI1SK: id } : {}),
    ...(variant === 'large+condition' ? padding : {}),
  };
}

const dynamo = await startDynamoDbLocal();
const client = createDynamoClient({ endpoint: dynamo.endpoint });
const doc = createDocumentClient(client);
await ensureTable(client, TABLE);

async function write(variant: Variant, transactions: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < transactions) {
        const items = Array.from({ length: PER_TRANSACTION }, () => item(variant));
        if (variant === 'batch') {
          for (let i = 0; i < items.length; i += 25)
            await doc.send(
              new BatchWriteCommand({
                RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
              }),
            );
          continue;
        }
        await doc.send(
          new TransactWriteCommand({
            TransactItems: items.map((Item) => ({
              Put: {
                TableName: TABLE,
                Item,
                ...(variant === 'plain' ? {} : { ConditionExpression: 'attribute_not_exists(PK)' }),
              },
            })),
          }),
        );
      }
    }),
  );
}

try {
  // The JIT's first compilations are not what a long publish pays per item.
  for (const variant of VARIANTS) await write(variant, 60);
  const perItem = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...VARIANTS].reverse() : VARIANTS;
    for (const variant of order) {
      const threads = childThreadsCpuSeconds();
      const before = descendantsCpuSeconds();
      await write(variant, TRANSACTIONS);
      const ms = ((descendantsCpuSeconds() - before) * 1000) / (TRANSACTIONS * PER_TRANSACTION);
      perItem.get(variant)!.push(ms);
      console.log(
        `round ${round + 1} ${variant}: ${ms.toFixed(3)} ms of DynamoDB Local CPU an item (${threadsLine(threads, childThreadsCpuSeconds())})`,
      );
    }
  }
  for (const [variant, figures] of perItem) {
    const sorted = [...figures].sort((a, b) => a - b);
    console.log(
      `${variant}: min ${sorted[0]!.toFixed(3)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)} ms an item`,
    );
  }
} finally {
  client.destroy();
  await dynamo.stop();
}
