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
import { SecretSealer } from './secret-sealer.ts';
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
 * sign deliveries but are never part of the entity a client reads back, and they are stored sealed
 * (`SecretSealer`, bound to the tenant and the endpoint). An endpoint written before secrets were
 * sealed holds them in plaintext: the first read of its secrets (its next delivery) seals them.
 */
export class WebhookEndpointsRepository extends TenantRepository {
  async create(endpoint: WebhookEndpoint, secret: string, event: EventDraft): Promise<void> {
    const sealed = await this.sealer.seal(secret, this.sealingContext(endpoint.id));
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.webhookEndpoint(this.tenantId, endpoint.id),
                entity: 'webhookEndpoint',
                _secret: sealed,
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
    const item = await this.item(id);
    const secrets = await this.secretsOf(item);
    await this.sealWhatWasPlain(item, secrets);
    return { endpoint: toEntity(item, webhookEndpoint), secrets };
  }

  async get(id: string): Promise<WebhookEndpoint> {
    return toEntity(await this.item(id), webhookEndpoint);
  }

  private async item(id: string) {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.webhookEndpoint(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No webhook endpoint ${id}`);
    return Item;
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

  /** Every endpoint of the tenant, for the relay's fan-out (which signs nothing, so reads no secret). */
  async all(): Promise<WebhookEndpoint[]> {
    return (await this.items()).map((item) => toEntity(item, webhookEndpoint));
  }

  /**
   * Seals the secrets of every endpoint of the tenant that still holds them as written before
   * sealing (the scheduled job's one-off sweep): an endpoint that never delivers would otherwise
   * keep them in plaintext until they are rotated. Returns how many endpoints it sealed.
   */
  async sealPlaintextSecrets(): Promise<number> {
    let sealed = 0;
    for (const item of await this.items()) {
      if (!plaintextSecretsOf(item).length) continue;
      await this.sealWhatWasPlain(item, await this.secretsOf(item));
      sealed++;
    }
    return sealed;
  }

  private items() {
    return queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.webhookEndpoint(this.tenantId, '').PK,
        ':prefix': collections.webhookEndpoints,
      },
    });
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
    const context = this.sealingContext(previous.id);
    const [next, kept] = await Promise.all([
      this.sealer.seal(nextSecret, context),
      this.sealer.seal(secrets.current, context),
    ]);
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
                ':next': next,
                ':previous': kept,
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

  private sealingContext(id: string) {
    return `${this.tenantId}/webhook-endpoint/${id}`;
  }

  /**
   * Seals in place the secrets of an endpoint written before sealing, as read: a storage change
   * only (no new version, no event, no audit entry), on the condition that they are still the
   * plaintext read, so a rotation meanwhile or another reader's sealing goes first.
   */
  private async sealWhatWasPlain(item: Record<string, unknown>, secrets: EndpointSecrets) {
    const plain = plaintextSecretsOf(item);
    if (!plain.length) return;
    const context = this.sealingContext(item.id as string);
    const opened = { _secret: secrets.current, _previousSecret: secrets.previous ?? '' };
    const names = Object.fromEntries(plain.map((name, i) => [`#s${i}`, name]));
    const values: Record<string, string> = {};
    for (const [i, name] of plain.entries()) {
      values[`:sealed${i}`] = await this.sealer.seal(opened[name], context);
      values[`:plain${i}`] = item[name] as string;
    }
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.webhookEndpoint(this.tenantId, item.id as string),
          UpdateExpression: `SET ${plain.map((_, i) => `#s${i} = :sealed${i}`).join(', ')}`,
          ConditionExpression: plain.map((_, i) => `#s${i} = :plain${i}`).join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      )
      .catch(ignoreMissing);
  }

  private async secretsOf(item: Record<string, unknown>): Promise<EndpointSecrets> {
    const context = this.sealingContext(item.id as string);
    const opened = (value: unknown) =>
      SecretSealer.isSealed(value) ? this.sealer.open(value, context) : (value as string | undefined);
    const [current, previous] = await Promise.all([opened(item._secret), opened(item._previousSecret)]);
    return {
      current: current as string,
      previous,
      previousExpiresAt: item.previousSecretExpiresAt as string | undefined,
    };
  }
}

class AlreadyDisabled extends Error {}

function ignoreMissing(error: unknown) {
  if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
}

/** The secret attributes of an endpoint item that hold plaintext (written before sealing). */
const plaintextSecretsOf = (item: Record<string, unknown>) =>
  (['_secret', '_previousSecret'] as const).filter(
    (name) => typeof item[name] === 'string' && !SecretSealer.isSealed(item[name]),
  );
