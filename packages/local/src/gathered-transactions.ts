import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  type TransactWriteCommandOutput,
} from '@aws-sdk/lib-dynamodb';

type Item = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

interface Pending {
  input: TransactWriteCommandInput;
  items: Item[];
  resolve(output: TransactWriteCommandOutput): void;
  reject(error: unknown): void;
}

/**
 * A document client whose transactions, when several are sent in the same turn of the event loop,
 * go to DynamoDB as one `TransactWriteItems` of at most `maxItems` items. The HRIS worker applies
 * the changes of a batch side by side, their reads done together, so their transactions are sent
 * together; DynamoDB Local spends much of a small transaction's cost per request (HTTP, parsing,
 * its table lock), as does the SDK in Node. Identical condition checks (every change checks the
 * people source) go once.
 *
 * Transactions that name one item (other than by identical checks) go in different ones.
 * Each transaction stays all or nothing with its own conditions. When conditions fail, every
 * transaction holding a failed item is refused with the `TransactionCanceledException` it would
 * have got alone (its own items' reasons), and the others are sent again without it; any other
 * failure (two transactions writing one item, a conflict with another writer) sends each alone,
 * so each gets the outcome and the retries it would have had.
 *
 * `maxItems` stays well under DynamoDB's 100: one transaction holds DynamoDB Local's one database
 * thread for as long as it takes, and an acknowledgement that arrives meanwhile waits behind it.
 */
export function gatherTransactions(doc: DynamoDBDocumentClient, maxItems = 20): DynamoDBDocumentClient {
  let waiting: Pending[] = [];
  let size = 0;
  let scheduled = false;

  const alone = (pending: Pending) =>
    doc.send(new TransactWriteCommand(pending.input)).then(pending.resolve, pending.reject);

  const flush = () => {
    scheduled = false;
    const groups = waiting;
    waiting = [];
    size = 0;
    // Transactions that name one item cannot share a transaction (DynamoDB refuses two operations
    // on one item): they go in different ones, sent side by side as they would have been alone.
    for (const bucket of apart(groups))
      if (bucket.length === 1) void alone(bucket[0]!);
      else void together(bucket);
  };

  async function together(groups: Pending[]): Promise<void> {
    while (groups.length > 1) {
      const { items, at } = combine(groups);
      try {
        const output = await doc.send(new TransactWriteCommand({ TransactItems: items }));
        for (const group of groups) group.resolve(output);
        return;
      } catch (error) {
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
        const refused = groups.filter((_, g) => at[g]!.some(failed));
        if (!(error instanceof TransactionCanceledException) || refused.length === 0) {
          await Promise.all(groups.map(alone));
          return;
        }
        for (const group of refused) {
          const own = at[groups.indexOf(group)]!.map((index) => reasons[index] ?? { Code: 'None' });
          group.reject(
            new TransactionCanceledException({
              message: error.message,
              $metadata: error.$metadata,
              CancellationReasons: own,
            }),
          );
        }
        groups = groups.filter((group) => !refused.includes(group));
      }
    }
    if (groups.length === 1) await alone(groups[0]!);
  }

  const send = ((command: unknown, ...rest: unknown[]) => {
    if (!(command instanceof TransactWriteCommand))
      return (doc.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    const items = command.input.TransactItems ?? [];
    if (items.length >= maxItems || rest.length > 0) return doc.send(command);
    return new Promise<TransactWriteCommandOutput>((resolve, reject) => {
      if (size + items.length > maxItems) flush();
      waiting.push({ input: command.input, items, resolve, reject });
      size += items.length;
      if (!scheduled) {
        scheduled = true;
        // After the microtasks of this turn: the other changes of the batch send theirs meanwhile.
        setImmediate(flush);
      }
    });
  }) as DynamoDBDocumentClient['send'];

  return new Proxy(doc, {
    get: (target, property, receiver) =>
      property === 'send' ? send : Reflect.get(target, property, receiver),
  });
}

const itemKey = (item: Item) => {
  const op = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  const key = (item.Put ? item.Put.Item : (op as { Key?: Record<string, unknown> } | undefined)?.Key) ?? {};
  return JSON.stringify([op?.TableName, key.PK, key.SK]);
};

/**
 * The groups in buckets (in order, each in the first that takes it) in which no two name one item,
 * identical condition checks aside (they go once).
 */
function apart(groups: Pending[]): Pending[][] {
  const buckets: { groups: Pending[]; named: Map<string, string | undefined> }[] = [];
  for (const group of groups) {
    const names = group.items.map((item) => ({
      key: itemKey(item),
      check: item.ConditionCheck ? JSON.stringify(item.ConditionCheck) : undefined,
    }));
    const fits = (named: Map<string, string | undefined>) =>
      names.every(({ key, check }) => !named.has(key) || (check !== undefined && named.get(key) === check));
    let bucket = buckets.find((b) => fits(b.named));
    if (!bucket) {
      bucket = { groups: [], named: new Map() };
      buckets.push(bucket);
    }
    bucket.groups.push(group);
    for (const { key, check } of names) if (!bucket.named.has(key)) bucket.named.set(key, check);
  }
  return buckets.map((bucket) => bucket.groups);
}

/**
 * The groups' items as one transaction, identical condition checks once; `at[g][i]` is where the
 * i-th item of group g went.
 */
function combine(groups: Pending[]): { items: Item[]; at: number[][] } {
  const items: Item[] = [];
  const checks = new Map<string, number>();
  const at = groups.map((group) =>
    group.items.map((item) => {
      if (!item.ConditionCheck) return items.push(item) - 1;
      const key = JSON.stringify(item.ConditionCheck);
      const found = checks.get(key);
      if (found !== undefined) return found;
      checks.set(key, items.length);
      return items.push(item) - 1;
    }),
  );
  return { items, at };
}
