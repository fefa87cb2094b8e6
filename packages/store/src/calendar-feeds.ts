import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type CalendarFeedRecord, type EventDraft, PreconditionFailedError } from '@tandem/core';
import type { Db } from './db.ts';
import { type Key, keys } from './keys.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';
import { versionCondition } from './transact.ts';

/** Whose feed a token opens, in one strongly consistent read of the global lookup item. */
export interface ResolvedCalendarFeed {
  tenantId: string;
  personId: string;
}

/**
 * Reads the global lookup item of a feed token's hash, then the tenant's and the person's status:
 * a suspended organization's feeds, and a leaver's, answer as if they did not exist. Used only by
 * the feed route.
 */
export async function resolveCalendarFeed(
  db: Db,
  secretHash: string,
): Promise<ResolvedCalendarFeed | undefined> {
  const { Item: lookup } = await db.doc.send(
    new GetCommand({
      TableName: db.tableName,
      Key: keys.calendarFeedLookup(secretHash),
      ConsistentRead: true,
    }),
  );
  if (!lookup) return undefined;
  const tenantId = lookup.tenantId as string;
  const personId = lookup.personId as string;
  const statusOf = async (Key: Key) =>
    (
      await db.doc.send(
        new GetCommand({
          TableName: db.tableName,
          Key,
          ProjectionExpression: '#status',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      )
    ).Item?.status;
  const [tenant, person] = await Promise.all([
    statusOf(keys.tenant(tenantId)),
    statusOf(keys.person(tenantId, personId)),
  ]);
  if (tenant !== 'active' || person !== 'active') return undefined;
  return { tenantId, personId };
}

const changedMeanwhile = (personId: string) =>
  new PreconditionFailedError(`The calendar feed of ${personId} changed meanwhile`);

/**
 * Each person's calendar feed: a record in their partition naming the current token's hash, and
 * the global hash → person lookup beside API keys' lookups. Like API keys it goes through the
 * platform client, because the lookup lies outside every tenant partition.
 */
export class CalendarFeedsRepository extends TenantRepository {
  async current(personId: string): Promise<CalendarFeedRecord | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.calendarFeed(this.tenantId, personId),
        ConsistentRead: true,
      }),
    );
    return Item
      ? {
          personId,
          secretHash: Item._secretHash as string,
          createdAt: Item.createdAt as string,
          version: Item.version as number,
        }
      : undefined;
  }

  /** Issues `next`, retiring `previous` (its URL stops working in the same transaction). */
  async issue(
    previous: CalendarFeedRecord | undefined,
    next: CalendarFeedRecord,
    event: EventDraft,
  ): Promise<void> {
    const ops: WriteOp[] = [
      {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.calendarFeed(this.tenantId, next.personId),
              entity: 'calendarFeed',
              _secretHash: next.secretHash,
              createdAt: next.createdAt,
              version: next.version,
            },
            ...versionCondition(previous?.version),
          },
        },
        onConditionFailed: () => changedMeanwhile(next.personId),
      },
      {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.calendarFeedLookup(next.secretHash),
              entity: 'calendarFeedLookup',
              tenantId: this.tenantId,
              personId: next.personId,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
    ];
    if (previous)
      ops.push({ item: { Delete: { TableName: '', Key: keys.calendarFeedLookup(previous.secretHash) } } });
    await this.write(ops, event);
  }

  async revoke(previous: CalendarFeedRecord, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.calendarFeed(this.tenantId, previous.personId),
              ...versionCondition(previous.version),
            },
          },
          onConditionFailed: () => changedMeanwhile(previous.personId),
        },
        { item: { Delete: { TableName: '', Key: keys.calendarFeedLookup(previous.secretHash) } } },
      ],
      event,
    );
  }
}
