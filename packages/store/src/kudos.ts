import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  type Kudos,
  kudos as kudosSchema,
  LimitExceededError,
  NotFoundError,
  PreconditionFailedError,
  type RecognitionSettings,
  recognitionSettings as settingsSchema,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { keys } from './keys.ts';
import { TenantRepository } from './repository.ts';
import { versionCondition, type WriteOp } from './transact.ts';

/** The sender's daily allowance a kudos draws on. */
export interface DailyAllowance {
  day: string;
  limit: number;
  renewsAt: Date;
}

/** Counters outlive their day by one, so a late retry of yesterday's send still finds its count. */
const COUNTER_TTL_SECONDS = 2 * 86_400;

/**
 * Kudos and the organization's recognition settings. A kudos is written with its feed entry and a
 * count on its sender's day, whose condition (still below the limit) is what enforces the limit:
 * two sends racing for the last one of the day cannot both land.
 */
export class KudosRepository extends TenantRepository {
  async create(value: Kudos, allowance: DailyAllowance, also: WriteOp[], event: EventDraft): Promise<void> {
    const retryAfterSeconds = (allowance.renewsAt.getTime() - this.clock().getTime()) / 1000;
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.kudosSentOn(this.tenantId, value.senderId, allowance.day),
              UpdateExpression: 'ADD #sent :one SET expiresAt = if_not_exists(expiresAt, :expires)',
              ConditionExpression: 'attribute_not_exists(#sent) OR #sent < :limit',
              ExpressionAttributeNames: { '#sent': 'sent' },
              ExpressionAttributeValues: {
                ':one': 1,
                ':limit': allowance.limit,
                ':expires': Math.floor(allowance.renewsAt.getTime() / 1000) + COUNTER_TTL_SECONDS,
              },
            },
          },
          onConditionFailed: () =>
            new LimitExceededError(
              `${value.senderId} sent ${allowance.limit} kudos on ${allowance.day} (UTC), as many as a day allows; more from ${allowance.renewsAt.toISOString()}`,
              retryAfterSeconds,
            ),
        },
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.kudos(this.tenantId, value.id), entity: 'kudos', ...value },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        ...also,
      ],
      event,
    );
  }

  async get(id: string): Promise<Kudos> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.kudos(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No kudos ${id}`);
    return toEntity(Item, kudosSchema);
  }

  async delete(previous: Kudos, also: WriteOp[], event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.kudos(this.tenantId, previous.id),
              ...versionCondition(previous.version),
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(`Kudos ${previous.id} changed since version ${previous.version}`),
        },
        ...also,
      ],
      event,
    );
  }

  /** The stored settings, or undefined while the organization uses the defaults. */
  async settings(): Promise<RecognitionSettings | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.recognitionSettings(this.tenantId),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity(Item, settingsSchema) : undefined;
  }

  /** Replaces the settings at `previousVersion` (0: none stored yet). */
  async saveSettings(next: RecognitionSettings, previousVersion: number, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.recognitionSettings(this.tenantId), entity: 'recognitionSettings', ...next },
              ...versionCondition(previousVersion === 0 ? undefined : previousVersion),
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(`The recognition settings changed since version ${previousVersion}`),
        },
      ],
      event,
    );
  }
}
