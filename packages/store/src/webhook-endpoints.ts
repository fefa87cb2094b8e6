import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  type WebhookEndpoint,
  webhookEndpoint,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionCondition, versionedUpdate } from './transact.ts';

/** The signing secrets of an endpoint: the current one, and the previous one during a rotation overlap. */
export interface EndpointSecrets {
  current: string;
  previous?: string | undefined;
  previousExpiresAt?: string | undefined;
}

export interface EndpointWithSecrets {
  endpoint: WebhookEndpoint;
  secrets: EndpointSecrets;
}

const changedSince = (id: string, version: number) =>
  new PreconditionFailedError(`Webhook endpoint ${id} changed since version ${version}`);

/**
 * Webhook endpoints of one tenant. Secrets are storage-only attributes (`_secret…`): they
 * sign deliveries but are never part of the entity a client reads back.
 */
export class WebhookEndpointsRepository extends TenantRepository {
  async create(endpoint: WebhookEndpoint, secret: string, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.webhookEndpoint(this.tenantId, endpoint.id),
                entity: 'webhookEndpoint',
                _secret: secret,
                ...endpoint,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async getWithSecrets(id: string): Promise<EndpointWithSecrets> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.webhookEndpoint(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No webhook endpoint ${id}`);
    return { endpoint: toEntity(Item, webhookEndpoint), secrets: secretsOf(Item) };
  }

  async get(id: string): Promise<WebhookEndpoint> {
    return (await this.getWithSecrets(id)).endpoint;
  }

  async list(page: PageRequest): Promise<Page<WebhookEndpoint>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.webhookEndpoint(this.tenantId, '').PK,
          ':prefix': collections.webhookEndpoints,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|webhook-endpoints`,
      webhookEndpoint,
    );
  }

  /** Every endpoint of the tenant with its secrets, for the relay's fan-out. */
  async all(): Promise<EndpointWithSecrets[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.webhookEndpoint(this.tenantId, '').PK,
        ':prefix': collections.webhookEndpoints,
      },
    });
    return items.map((item) => ({ endpoint: toEntity(item, webhookEndpoint), secrets: secretsOf(item) }));
  }

  async update(
    previous: WebhookEndpoint,
    next: WebhookEndpoint,
    removed: string[],
    event: EventDraft,
  ): Promise<void> {
    await this.write(
      [
        {
          item: versionedUpdate(keys.webhookEndpoint(this.tenantId, next.id), next, {
            expectedVersion: previous.version,
            removed,
          }),
          onConditionFailed: () => changedSince(next.id, previous.version),
        },
      ],
      event,
    );
  }

  async rotateSecret(
    previous: WebhookEndpoint,
    secrets: EndpointSecrets,
    nextSecret: string,
    previousExpiresAt: string,
    now: string,
    event: EventDraft,
  ): Promise<void> {
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.webhookEndpoint(this.tenantId, previous.id),
              UpdateExpression:
                'SET #secret = :next, #previous = :previous, previousSecretExpiresAt = :expires, updatedAt = :now, #version = #version + :one',
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: {
                '#secret': '_secret',
                '#previous': '_previousSecret',
                '#version': 'version',
              },
              ExpressionAttributeValues: {
                ':next': nextSecret,
                ':previous': secrets.current,
                ':expires': previousExpiresAt,
                ':now': now,
                ':one': 1,
                ':expected': previous.version,
              },
            },
          },
          onConditionFailed: () => changedSince(previous.id, previous.version),
        },
      ],
      event,
    );
  }

  async delete(previous: WebhookEndpoint, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.webhookEndpoint(this.tenantId, previous.id),
              ...versionCondition(previous.version),
            },
          },
          onConditionFailed: () => changedSince(previous.id, previous.version),
        },
      ],
      event,
    );
  }

  /** Notes the start of a failure streak once; later failures leave it alone. */
  async markFailing(id: string, since: string): Promise<void> {
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.webhookEndpoint(this.tenantId, id),
          UpdateExpression: 'SET failingSince = if_not_exists(failingSince, :since)',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':since': since },
        }),
      )
      .catch(ignoreMissing);
  }

  async clearFailing(id: string): Promise<void> {
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.webhookEndpoint(this.tenantId, id),
          UpdateExpression: 'REMOVE failingSince',
          ConditionExpression: 'attribute_exists(failingSince)',
        }),
      )
      .catch(ignoreMissing);
  }

  /** Disables an enabled endpoint, with its `endpoint.disabled` event; a no-op if it already is. */
  async disable(id: string, reason: string, now: string, event: EventDraft): Promise<boolean> {
    try {
      await this.write(
        [
          {
            item: {
              Update: {
                TableName: '',
                Key: keys.webhookEndpoint(this.tenantId, id),
                UpdateExpression:
                  'SET enabled = :false, disabledReason = :reason, updatedAt = :now, #version = #version + :one',
                ConditionExpression: 'enabled = :true',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: {
                  ':false': false,
                  ':true': true,
                  ':reason': reason,
                  ':now': now,
                  ':one': 1,
                },
              },
            },
            onConditionFailed: () => new AlreadyDisabled(),
          },
        ],
        event,
      );
      return true;
    } catch (error) {
      if (error instanceof AlreadyDisabled) return false;
      throw error;
    }
  }
}

class AlreadyDisabled extends Error {}

function ignoreMissing(error: unknown) {
  if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
}

function secretsOf(item: Record<string, unknown>): EndpointSecrets {
  return {
    current: item._secret as string,
    previous: item._previousSecret as string | undefined,
    previousExpiresAt: item.previousSecretExpiresAt as string | undefined,
  };
}
