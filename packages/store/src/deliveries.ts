import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type Delivery,
  type DeliveryAttempt,
  type DeliveryStatus,
  delivery as deliverySchema,
  type EventEnvelope,
  NotFoundError,
  type Recovery,
  recovery as recoverySchema,
} from '@tandem/core';
import { currentAudit } from './audit.ts';
import { toEntity } from './db.ts';
import { collections, keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';

/** Attempts kept on a delivery; older ones are dropped so the item stays small. */
const KEPT_ATTEMPTS = 20;

export interface StoredDelivery {
  delivery: Delivery;
  /** The exact envelope to send, fixed when the delivery was created so retries are byte-identical. */
  payload: EventEnvelope;
  /** Attempts made in the current retry cycle (a redelivery starts a new cycle). */
  cycleAttempts: number;
}

/**
 * The delivery log of one tenant's endpoints. Each (event, endpoint) pair has one delivery
 * whose id derives from the event, so the relay can create it idempotently.
 */
export class DeliveriesRepository extends TenantRepository {
  /**
   * Creates the delivery unless it exists; returns whether it was new. With `claimedUntil` (epoch
   * milliseconds) it is created claimed, as claim() would leave it: its creator attempts it
   * without a claim of its own, and no one else can until then.
   */
  async createIfAbsent(value: Delivery, payload: EventEnvelope, claimedUntil?: number): Promise<boolean> {
    return this.writeOne({
      Put: {
        TableName: '',
        Item: {
          ...keys.delivery(this.tenantId, value.endpointId, value.id),
          entity: 'delivery',
          _payload: payload,
          _cycleAttempts: 0,
          ...value,
          ...(claimedUntil === undefined ? {} : { leaseUntil: claimedUntil }),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
  }

  async getStored(endpointId: string, id: string): Promise<StoredDelivery> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.delivery(this.tenantId, endpointId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No delivery ${id} for endpoint ${endpointId}`);
    return {
      delivery: toEntity(Item, deliverySchema),
      payload: Item._payload as EventEnvelope,
      cycleAttempts: Number(Item._cycleAttempts ?? 0),
    };
  }

  async get(endpointId: string, id: string): Promise<Delivery> {
    return (await this.getStored(endpointId, id)).delivery;
  }

  async list(
    endpointId: string,
    filter: { status?: DeliveryStatus | undefined },
    page: PageRequest,
  ): Promise<Page<Delivery>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ScanIndexForward: false,
        ...(filter.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: {
          ':pk': keys.delivery(this.tenantId, endpointId, '').PK,
          ':prefix': collections.deliveries,
          ...(filter.status ? { ':status': filter.status } : {}),
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|deliveries|${endpointId}|${JSON.stringify(filter)}`,
      deliverySchema,
    );
  }

  /**
   * Takes the delivery for one attempt: it must still be pending, at the attempt the job was
   * queued for, due, and not leased by another worker. Returns undefined when the job is stale
   * or another worker has it.
   */
  async claim(
    endpointId: string,
    id: string,
    attempt: number,
    now: Date,
    leaseMs: number,
  ): Promise<StoredDelivery | undefined> {
    try {
      const { Attributes } = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.delivery(this.tenantId, endpointId, id),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression:
            '#status = :pending AND attemptCount = :attempt AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':attempt': attempt,
            ':now': now.getTime(),
            ':until': now.getTime() + leaseMs,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (!Attributes) return undefined;
      return {
        delivery: toEntity(Attributes, deliverySchema),
        payload: Attributes._payload as EventEnvelope,
        cycleAttempts: Number(Attributes._cycleAttempts ?? 0),
      };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Records one attempt and what happens next; releases the lease. */
  async recordAttempt(
    current: StoredDelivery,
    attempt: DeliveryAttempt,
    outcome: { status: DeliveryStatus; nextAttemptAt?: string | undefined },
  ): Promise<Delivery> {
    const attempts = [...current.delivery.attempts, attempt].slice(-KEPT_ATTEMPTS);
    const next: Delivery = {
      ...current.delivery,
      status: outcome.status,
      attemptCount: current.delivery.attemptCount + 1,
      attempts,
      updatedAt: attempt.at,
      ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
    };
    if (!outcome.nextAttemptAt) delete next.nextAttemptAt;
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.tableName,
        Key: keys.delivery(this.tenantId, current.delivery.endpointId, current.delivery.id),
        UpdateExpression: `SET #status = :status, attemptCount = :count, attempts = :attempts, updatedAt = :at, #cycle = :cycle${
          outcome.nextAttemptAt ? ', nextAttemptAt = :next' : ''
        } REMOVE leaseUntil${outcome.nextAttemptAt ? '' : ', nextAttemptAt'}`,
        ConditionExpression: 'attemptCount = :seen',
        ExpressionAttributeNames: { '#status': 'status', '#cycle': '_cycleAttempts' },
        ExpressionAttributeValues: {
          ':status': next.status,
          ':count': next.attemptCount,
          ':attempts': attempts,
          ':at': attempt.at,
          ':cycle': current.cycleAttempts + 1,
          ':seen': current.delivery.attemptCount,
          ...(outcome.nextAttemptAt ? { ':next': outcome.nextAttemptAt } : {}),
        },
      }),
    );
    return next;
  }

  /**
   * Makes a delivery pending again for a new retry cycle (manual redelivery, recovery).
   * Returns the attempt number the queued job must carry.
   */
  async restart(endpointId: string, id: string, now: Date): Promise<number> {
    const update = {
      TableName: '',
      Key: keys.delivery(this.tenantId, endpointId, id),
      UpdateExpression: 'SET #status = :pending, nextAttemptAt = :now, updatedAt = :now, #cycle = :zero',
      // Not while an attempt is running: its result would overwrite the restart.
      ConditionExpression:
        'attribute_exists(PK) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)',
      ExpressionAttributeNames: { '#status': 'status', '#cycle': '_cycleAttempts' },
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':now': now.toISOString(),
        ':nowMs': now.getTime(),
        ':zero': 0,
      },
    };
    // A request's redelivery commits with its audit entry (a transaction returns no values, so the
    // attempt count is read after); a recovery's restarts get it back from the update itself.
    if (currentAudit()) {
      if (await this.writeOne({ Update: update })) return (await this.get(endpointId, id)).attemptCount;
    } else {
      try {
        const { Attributes } = await this.db.doc.send(
          new UpdateCommand({ ...update, TableName: this.db.tableName, ReturnValues: 'ALL_NEW' }),
        );
        return Number(Attributes?.attemptCount ?? 0);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    await this.get(endpointId, id);
    throw new ConflictError(`Delivery ${id} is being attempted right now; retry in a few seconds`);
  }

  async createRecovery(value: Recovery): Promise<void> {
    await this.write([
      {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.recovery(this.tenantId, value.endpointId, value.id),
              entity: 'recovery',
              ...value,
              _page: 0,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
    ]);
  }

  /** A recovery with where it stands: the page it is at and the cursor of that page (none for the first). */
  async getRecovery(
    endpointId: string,
    id: string,
  ): Promise<{ recovery: Recovery; page: number; cursor?: string }> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.recovery(this.tenantId, endpointId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No recovery ${id} of endpoint ${endpointId}`);
    return {
      recovery: toEntity(Item, recoverySchema),
      page: Number(Item._page),
      ...(typeof Item._cursor === 'string' ? { cursor: Item._cursor } : {}),
    };
  }

  /**
   * Records a page as done, only if the recovery is still at that page: a page job that runs twice
   * (queues deliver at least once) counts once. Returns false when another run got there first.
   */
  async advanceRecovery(
    endpointId: string,
    id: string,
    page: number,
    progress: { queued: number; nextCursor: string | null; now: string },
  ): Promise<boolean> {
    const done = progress.nextCursor === null;
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.recovery(this.tenantId, endpointId, id),
          UpdateExpression: `SET #page = :next, queued = queued + :queued, updatedAt = :now${
            done ? ', #status = :completed, completedAt = :now REMOVE #cursor' : ', #cursor = :cursor'
          }`,
          ConditionExpression: '#page = :page',
          ExpressionAttributeNames: {
            '#page': '_page',
            ...(done ? { '#status': 'status' } : {}),
            '#cursor': '_cursor',
          },
          ExpressionAttributeValues: {
            ':page': page,
            ':next': page + 1,
            ':queued': progress.queued,
            ':now': progress.now,
            ...(done ? { ':completed': 'completed' } : { ':cursor': progress.nextCursor }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
