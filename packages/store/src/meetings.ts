import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type EventDraft,
  type Meeting,
  type MeetingStatus,
  meeting as meetingSchema,
  NotFoundError,
  PreconditionFailedError,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, gsi1, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionedUpdate, type WriteOp } from './transact.ts';

export interface MeetingFilter {
  status?: MeetingStatus | undefined;
  /** `upcoming`: starting now or later, soonest first; `past`: started before now, latest first. */
  when: 'upcoming' | 'past' | 'all';
  now: string;
}

const changedSince = (id: string, version: number) =>
  new PreconditionFailedError(`Meeting ${id} changed since version ${version}`);

/**
 * Meetings live in their relationship's partition. Each carries a GSI1 entry keyed by its start
 * instant, moved on every reschedule, so a relationship's meetings list in time order.
 */
export class MeetingsRepository extends TenantRepository {
  private byStart(value: Meeting) {
    return {
      GSI1PK: gsi1.meetingsByStart(this.tenantId, value.relationshipId),
      GSI1SK: `${value.startsAt}#${value.id}`,
    };
  }

  /**
   * Meetings change only while their relationship has not ended: checked in the transaction, so a
   * relationship ended concurrently takes no new meeting.
   */
  private relationshipOpen(relationshipId: string): WriteOp {
    return {
      item: {
        ConditionCheck: {
          TableName: '',
          Key: keys.relationship(this.tenantId, relationshipId),
          ConditionExpression: 'attribute_exists(PK) AND NOT #status IN (:completed, :dissolved)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'completed', ':dissolved': 'dissolved' },
        },
      },
      onConditionFailed: () =>
        new ConflictError(`Relationship ${relationshipId} has ended; it takes no meetings`),
    };
  }

  /** Creates the meeting; `alsoWrite` joins the transaction (its reminder's timer). */
  async create(value: Meeting, event: EventDraft, alsoWrite: WriteOp[] = []): Promise<void> {
    await this.write(
      [
        this.relationshipOpen(value.relationshipId),
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.meeting(this.tenantId, value.relationshipId, value.id),
                ...this.byStart(value),
                entity: 'meeting',
                ...value,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        ...alsoWrite,
      ],
      event,
    );
  }

  async get(relationshipId: string, id: string): Promise<Meeting> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.meeting(this.tenantId, relationshipId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No meeting ${id}`);
    return toEntity(Item, meetingSchema);
  }

  /**
   * Replaces the meeting as read at `previous.version`. `alsoWrite` and `events` join the same
   * transaction: a log is where other features (a milestone reached by the first held meeting)
   * record what it causes.
   */
  async update(
    previous: Meeting,
    next: Meeting,
    removed: string[],
    events: EventDraft | EventDraft[],
    alsoWrite: WriteOp[] = [],
  ): Promise<void> {
    await this.write(
      [
        this.relationshipOpen(next.relationshipId),
        {
          item: versionedUpdate(keys.meeting(this.tenantId, next.relationshipId, next.id), next, {
            expectedVersion: previous.version,
            removed,
            extra: this.byStart(next),
          }),
          onConditionFailed: () => changedSince(next.id, previous.version),
        },
        ...alsoWrite,
      ],
      events,
    );
  }

  async list(relationshipId: string, filter: MeetingFilter, page: PageRequest): Promise<Page<Meeting>> {
    const range =
      filter.when === 'upcoming'
        ? { condition: 'GSI1SK >= :now', values: { ':now': filter.now } }
        : filter.when === 'past'
          ? { condition: 'GSI1SK < :now', values: { ':now': filter.now } }
          : { condition: '', values: {} };
    return queryPage(
      this.db,
      {
        IndexName: 'GSI1',
        KeyConditionExpression: `GSI1PK = :pk${range.condition ? ` AND ${range.condition}` : ''}`,
        ...(filter.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: {
          ':pk': gsi1.meetingsByStart(this.tenantId, relationshipId),
          ...range.values,
          ...(filter.status ? { ':status': filter.status } : {}),
        },
        ScanIndexForward: filter.when !== 'past',
      },
      page,
      this.cursors,
      // Not bound to `now`: a cursor resumes after the last meeting seen, whenever it is used.
      `${this.tenantId}|meetings|${relationshipId}|${filter.when}|${filter.status ?? ''}`,
      meetingSchema,
    );
  }

  /** Every meeting of a relationship (a relationship holds tens of them, not thousands). */
  async all(relationshipId: string): Promise<Meeting[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.meeting(this.tenantId, relationshipId, '').PK,
        ':prefix': collections.meetings,
      },
    });
    return items.map((item) => toEntity(item, meetingSchema));
  }
}
