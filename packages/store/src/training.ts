import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  completionKey,
  type EventDraft,
  PreconditionFailedError,
  type TrainingRecord,
  trainingRecord,
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { collections, keys, personPartition } from './keys.ts';
import { queryAll } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionCondition } from './transact.ts';

/** Keys per BatchGetItem call, and calls in flight at once when a run reads a whole program's completions. */
const BATCH_KEYS = 100;
const PARALLEL_BATCHES = 8;

/** Training records: one per person and module, in the person's partition. */
export class TrainingRepository extends TenantRepository {
  async get(personId: string, resourceId: string): Promise<TrainingRecord | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.trainingRecord(this.tenantId, personId, resourceId),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity(Item, trainingRecord) : undefined;
  }

  /** Every module a person has a record for (completed or attempted). */
  async ofPerson(personId: string): Promise<TrainingRecord[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': personPartition(this.tenantId, personId),
        ':prefix': collections.trainingRecords,
      },
    });
    return items.map((item) => toEntity(item, trainingRecord));
  }

  /**
   * Writes a record: a first one only if none exists, a later one only over the version read, so
   * two submissions at once cannot both count (the loser retries on the fresh record).
   */
  async save(previous: TrainingRecord | undefined, next: TrainingRecord, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.trainingRecord(this.tenantId, next.personId, next.resourceId),
                entity: 'trainingRecord',
                ...next,
              },
              ...versionCondition(previous?.version),
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(
              `Training record of ${next.personId} for ${next.resourceId} changed since version ${previous?.version ?? 0}`,
            ),
        },
      ],
      event,
    );
  }

  /**
   * Which (person, module) pairs are completed, as completionKey strings: batched gets over the
   * people's partitions, several batches in flight, so a program of thousands is a few hundred
   * calls spread over a handful of connections, never one query per person in a row.
   */
  async completedAmong(pairs: { personId: string; resourceId: string }[]): Promise<Set<string>> {
    const keyList = [...new Map(pairs.map((p) => [completionKey(p.personId, p.resourceId), p])).values()].map(
      (p) => keys.trainingRecord(this.tenantId, p.personId, p.resourceId),
    );
    const chunks: (typeof keyList)[] = [];
    for (let i = 0; i < keyList.length; i += BATCH_KEYS) chunks.push(keyList.slice(i, i + BATCH_KEYS));
    const completed = new Set<string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL_BATCHES, chunks.length) }, async () => {
        while (next < chunks.length) {
          const items = await batchGetAll(this.db, chunks[next++]!);
          for (const item of items)
            if (item.completed === true)
              completed.add(completionKey(String(item.personId), String(item.resourceId)));
        }
      }),
    );
    return completed;
  }
}
