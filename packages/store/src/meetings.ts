import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type EventDraft,
  InvalidInputError,
  type Meeting,
  type MeetingStatus,
  meeting as meetingSchema,
  NotFoundError,
  PreconditionFailedError,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { healthInputsChangedOp } from './health-inputs.ts';
import { collections, gsi1, keys, MEETING_SHARDS, meetingShardOfProgram } from './keys.ts';
import { mergeSorted } from './merge.ts';
import { type Page, type PageRequest, queryAll, queryPages } from './query.ts';
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

/** Items read per page of a program's meeting index: each shard holds two pages at a time. */
const PROGRAM_PAGE = 500;

/** Where a meeting sorts in its relationship's list: by start, then by id. */
const startKey = (m: Meeting) => `${m.startsAt}#${m.id}`;

/**
 * Meetings live in their relationship's partition, so a relationship's meetings are one query (a
 * relationship holds tens of them, not thousands). Each carries a GSI1 entry in its program's
 * meeting index, keyed by relationship and id, so a program's meetings are a paged read in order.
 */
export class MeetingsRepository extends TenantRepository {
  private programIndex(programId: string, value: Pick<Meeting, 'relationshipId' | 'id'>) {
    return {
      GSI1PK: gsi1.meetingsOfProgram(this.tenantId, programId, value.relationshipId),
      GSI1SK: `${value.relationshipId}#${value.id}`,
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

  /**
   * Creates the meeting of a relationship of `programId`; `alsoWrite` joins the transaction (its
   * reminder's timer).
   */
  async create(
    value: Meeting,
    programId: string,
    event: EventDraft,
    alsoWrite: WriteOp[] = [],
  ): Promise<void> {
    await this.write(
      [
        this.relationshipOpen(value.relationshipId),
        healthInputsChangedOp(this.tenantId, value.relationshipId),
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.meeting(this.tenantId, value.relationshipId, value.id),
                ...this.programIndex(programId, value),
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
        healthInputsChangedOp(this.tenantId, next.relationshipId),
        {
          item: versionedUpdate(keys.meeting(this.tenantId, next.relationshipId, next.id), next, {
            expectedVersion: previous.version,
            removed,
          }),
          onConditionFailed: () => changedSince(next.id, previous.version),
        },
        ...alsoWrite,
      ],
      events,
    );
  }

  /**
   * A relationship's meetings, filtered and sorted from one read of its partition. The cursor holds
   * the start and id of the last meeting returned, so a page resumes after it whenever it is used.
   */
  async list(relationshipId: string, filter: MeetingFilter, page: PageRequest): Promise<Page<Meeting>> {
    const binding = `${this.tenantId}|meetings|${relationshipId}|${filter.when}|${filter.status ?? ''}`;
    const after = page.cursor ? this.decodePosition(page.cursor, binding) : undefined;
    const latestFirst = filter.when === 'past';
    const matching = (await this.all(relationshipId))
      .filter((m) => filter.status === undefined || m.status === filter.status)
      .filter((m) =>
        filter.when === 'upcoming'
          ? m.startsAt >= filter.now
          : filter.when === 'past'
            ? m.startsAt < filter.now
            : true,
      )
      .filter((m) => after === undefined || (latestFirst ? startKey(m) < after : startKey(m) > after))
      .sort((a, b) => (startKey(a) < startKey(b) ? -1 : 1) * (latestFirst ? -1 : 1));
    const items = matching.slice(0, page.limit);
    return {
      items,
      nextCursor:
        matching.length > page.limit
          ? this.cursors.encode({ after: startKey(items.at(-1)!) }, binding)
          : null,
    };
  }

  private decodePosition(cursor: string, binding: string): string {
    const { after } = this.cursors.decode(cursor, binding);
    if (typeof after !== 'string')
      throw new InvalidInputError('The cursor is invalid, expired or belongs to a different query', [
        { field: 'cursor', message: 'not a cursor returned by this list with these filters' },
      ]);
    return after;
  }

  /**
   * The named fields of every meeting of a program from its meeting index, by relationship id and
   * then meeting id (so in order of creation), read page by page: memory holds a few pages, whatever
   * the program's size. Only those fields are read, and they are not parsed again (each was when its
   * meeting was written): this reads every meeting of a program, and a schema parse of each costs
   * more than reading it. The index is eventually consistent: a meeting written a moment ago may be
   * missing. Only complete once the program is indexed (`programIndexed`); until then, read
   * `indexIntoProgram` per relationship.
   */
  async *ofProgram<F extends keyof Meeting>(
    programId: string,
    fields: readonly F[],
  ): AsyncGenerator<Pick<Meeting, F>> {
    // The merge orders by the index's sort key, so it is read too.
    const names = Object.fromEntries(['GSI1SK', ...fields].map((field, i) => [`#f${i}`, field]));
    const shards = Array.from({ length: MEETING_SHARDS }, (_, shard) =>
      queryPages(this.db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': meetingShardOfProgram(this.tenantId, programId, shard) },
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        Limit: PROGRAM_PAGE,
      }),
    );
    for await (const { GSI1SK: _, ...fieldsRead } of mergeSorted(shards, (item) => item.GSI1SK as string))
      yield fieldsRead as Pick<Meeting, F>;
  }

  /** Whether every meeting of the program is in its meeting index (see keys.programMeetingsIndexed). */
  async programIndexed(programId: string): Promise<boolean> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.programMeetingsIndexed(this.tenantId, programId),
      }),
    );
    return Item !== undefined;
  }

  private indexedMarker(programId: string) {
    return { ...keys.programMeetingsIndexed(this.tenantId, programId), entity: 'programMeetingsIndexed' };
  }

  /** Written with a new program: it has no meeting from before the index. */
  programIndexedOp(programId: string): WriteOp {
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.programMeetingsIndexed(this.tenantId, programId),
            entity: 'programMeetingsIndexed',
          },
        },
      },
    };
  }

  /** Once `indexIntoProgram` entered every relationship of the program. */
  async markProgramIndexed(programId: string): Promise<void> {
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.tableName,
        Item: this.indexedMarker(programId),
      }),
    );
  }

  /**
   * Every meeting of a relationship of `programId`, after entering those written before the program
   * index into it. Only the index keys change (no version, no event: nothing about the meeting
   * does), and they are the same whoever writes them, so concurrent entries and updates agree.
   */
  async indexIntoProgram(programId: string, relationshipId: string): Promise<Meeting[]> {
    const items = await this.allItems(relationshipId);
    await Promise.all(
      items.map(async (item) => {
        const index = this.programIndex(programId, item as Meeting);
        if (item.GSI1PK === index.GSI1PK) return;
        try {
          await this.db.doc.send(
            new UpdateCommand({
              TableName: this.db.tableName,
              Key: keys.meeting(this.tenantId, relationshipId, item.id as string),
              UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':pk': index.GSI1PK, ':sk': index.GSI1SK },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }),
    );
    return items.map((item) => toEntity(item, meetingSchema));
  }

  /** Every meeting of a relationship (a relationship holds tens of them, not thousands). */
  async all(relationshipId: string): Promise<Meeting[]> {
    return (await this.allItems(relationshipId)).map((item) => toEntity(item, meetingSchema));
  }

  private allItems(relationshipId: string) {
    return queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.meeting(this.tenantId, relationshipId, '').PK,
        ':prefix': collections.meetings,
      },
      ConsistentRead: true,
    });
  }
}
