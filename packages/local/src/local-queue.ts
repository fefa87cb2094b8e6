import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, type Db, type Key, keys, type WriteOp } from '@tandem/store';

/**
 * A durable delay queue in the table, used by the local runtime where there is no SQS.
 * Entries sort by due time; a worker leases an entry before working on it and deletes it when
 * done, so a crash mid-job leaves the entry to be picked up again once the lease runs out.
 */
export interface QueueEntry<T> {
  key: { PK: string; SK: string };
  body: T;
}

export class LocalQueueStore<T> {
  /** Entries taken by `takeDue` (sort key → lease end, epoch ms): the leases this process holds. */
  private readonly taken = new Map<string, number>();

  /** `queue` names the partition, so each queue's entries are leased apart from the others'. */
  constructor(
    private readonly db: Db,
    private readonly queue = 'DELIVERY_QUEUE',
  ) {}

  async put(jobKey: string, body: T, dueAt: Date): Promise<void> {
    await this.db.doc.send(
      new PutCommand({ TableName: this.db.tableName, Item: this.item(jobKey, body, dueAt) }),
    );
  }

  /** The entry as a write of a transaction, so it exists exactly when the transaction's other writes do. */
  putOp(jobKey: string, body: T, dueAt: Date): WriteOp {
    return { item: { Put: { TableName: '', Item: this.item(jobKey, body, dueAt) } } };
  }

  private item(jobKey: string, body: T, dueAt: Date) {
    return {
      ...keys.localQueueEntry(dueAt.toISOString(), jobKey, this.queue),
      entity: 'queueEntry',
      body,
      leaseUntil: 0,
    };
  }

  /** Up to `limit` entries read (before the filter) that are due and not leased in the table, oldest first. */
  private async dueUnleased(now: Date, limit: number): Promise<(Key & { body: unknown })[]> {
    const { Items = [] } = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.tableName,
        KeyConditionExpression: 'PK = :pk AND SK <= :due',
        FilterExpression: 'leaseUntil < :now',
        ExpressionAttributeValues: {
          ':pk': keys.localQueueEntry('', '', this.queue).PK,
          ':due': `${now.toISOString()}#~`,
          ':now': now.getTime(),
        },
        Limit: limit,
      }),
    );
    return Items as (Key & { body: unknown })[];
  }

  /** Leases up to `max` entries that are due and not leased; each is returned to one caller only. */
  async leaseDue(now: Date, max: number, leaseMs: number): Promise<QueueEntry<T>[]> {
    const items = await this.dueUnleased(now, max * 4);
    // Leased all at once: each lease is one conditional write, and a burst waits on their sum otherwise.
    const leased = await Promise.all(
      items.slice(0, max).map(async (item): Promise<QueueEntry<T> | undefined> => {
        try {
          await this.db.doc.send(
            new UpdateCommand({
              TableName: this.db.tableName,
              Key: { PK: item.PK, SK: item.SK },
              UpdateExpression: 'SET leaseUntil = :until',
              ConditionExpression: 'leaseUntil < :now',
              ExpressionAttributeValues: { ':now': now.getTime(), ':until': now.getTime() + leaseMs },
            }),
          );
          return { key: { PK: item.PK, SK: item.SK }, body: item.body as T };
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) return undefined;
          throw error;
        }
      }),
    );
    return leased.filter((entry) => entry !== undefined);
  }

  /**
   * Takes up to `max` due entries for a queue that one process consumes (`npm start`'s HRIS
   * worker): the lease is held in this process's memory for `leaseMs`, not written to the entry, so
   * taking an entry costs no write (nor a stream record that both stream readers read). A process
   * that dies takes its leases with it: the next one takes the entries at once, where a written
   * lease would first have to run out. Each entry is returned to one caller of this store only.
   */
  async takeDue(now: Date, max: number, leaseMs: number): Promise<QueueEntry<T>[]> {
    for (const [sk, until] of this.taken) if (until <= now.getTime()) this.taken.delete(sk);
    // The entries this process holds come first (due longest): read past them. Entries leased in
    // the table by an older runtime (leaseDue) stay theirs until that lease runs out.
    const items = await this.dueUnleased(now, max + this.taken.size);
    const entries: QueueEntry<T>[] = [];
    for (const item of items) {
      if (entries.length === max) break;
      const sk = item.SK;
      if ((this.taken.get(sk) ?? 0) > now.getTime()) continue;
      this.taken.set(sk, now.getTime() + leaseMs);
      entries.push({ key: { PK: item.PK, SK: sk }, body: item.body as T });
    }
    return entries;
  }

  async done(entry: QueueEntry<T>): Promise<void> {
    await this.db.doc.send(new DeleteCommand({ TableName: this.db.tableName, Key: entry.key }));
  }

  /** Deletes entries that were worked off, in as few calls as DynamoDB allows. */
  async doneAll(entries: QueueEntry<T>[]): Promise<void> {
    await batchWriteAll(
      this.db,
      entries.map((entry) => ({ DeleteRequest: { Key: entry.key } })),
    );
    for (const entry of entries) this.taken.delete(entry.key.SK);
  }
}
