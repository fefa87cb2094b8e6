import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
import { collections, keys, MEETING_SHARDS, meetingRowsShard } from './keys.ts';
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

/** Rows read per page of a program's meeting rows: each shard holds two pages at a time. */
const ROWS_PAGE = 1000;

/**
 * What a program's meeting rows hold of each meeting (keys.meetingRow), in this order: the fields
 * its exports and its analytics read. Fields are only ever appended, so an older row reads with the
 * later ones absent.
 */
export const MEETING_ROW_FIELDS = [
  'id',
  'relationshipId',
  'status',
  'startsAt',
  'durationMinutes',
  'timeZone',
  'attendance',
  'topics',
  'scheduledBy',
  'loggedAt',
] as const satisfies readonly (keyof Meeting)[];

export type MeetingRow = Pick<Meeting, (typeof MEETING_ROW_FIELDS)[number]>;

/** A row as stored: one JSON array, so a program's read decodes one short string per meeting. */
const encodeRow = (m: Meeting) => JSON.stringify(MEETING_ROW_FIELDS.map((field) => m[field] ?? null));

function decodeRow(row: string): MeetingRow {
  const values: unknown[] = JSON.parse(row);
  const out: Record<string, unknown> = {};
  MEETING_ROW_FIELDS.forEach((field, i) => {
    if (values[i] !== null && values[i] !== undefined) out[field] = values[i];
  });
  // Written from a parsed meeting (every write of a meeting is one): not parsed again.
  return out as MeetingRow;
}

/** Where a meeting sorts in its relationship's list: by start, then by id. */
const startKey = (m: Meeting) => `${m.startsAt}#${m.id}`;

/** A meeting's row item in its program's meeting rows (benchmarks seed it as the repository writes it). */
export const meetingRowItem = (tenantId: string, programId: string, value: Meeting) => ({
  ...keys.meetingRow(tenantId, programId, value.relationshipId, value.id),
  entity: 'meetingRow',
  row: encodeRow(value),
  version: value.version,
});

/**
 * Meetings live in their relationship's partition, so a relationship's meetings are one query (a
 * relationship holds tens of them, not thousands). Each meeting's write also writes its row in its
 * program's meeting rows (keys.meetingRow), so a program's meetings are a paged read in order.
 */
export class MeetingsRepository extends TenantRepository {
  /** The meeting's row, replaced by every write of the meeting (in the same transaction). */
  private rowOp(programId: string, value: Meeting): WriteOp {
    return { item: { Put: { TableName: '', Item: meetingRowItem(this.tenantId, programId, value) } } };
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
                entity: 'meeting',
                ...value,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        this.rowOp(programId, value),
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
   * Replaces the meeting (of a relationship of `programId`) as read at `previous.version`.
   * `alsoWrite` and `events` join the same transaction: a log is where other features (a milestone
   * reached by the first held meeting) record what it causes.
   */
  async update(
    programId: string,
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
        // Its version condition orders the meeting's writes, and so the rows they write.
        this.rowOp(programId, next),
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
    const after = page.cursor ? await this.decodePosition(page.cursor, binding) : undefined;
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
          ? await this.cursors.encode({ after: startKey(items.at(-1)!) }, binding)
          : null,
    };
  }

  private async decodePosition(cursor: string, binding: string): Promise<string> {
    const { after } = await this.cursors.decode(cursor, binding);
    if (typeof after !== 'string')
      throw new InvalidInputError('The cursor is invalid, expired or belongs to a different query', [
        { field: 'cursor', message: 'not a cursor returned by this list with these filters' },
      ]);
    return after;
  }

  /**
   * The row of every meeting of a program (see MEETING_ROW_FIELDS), by relationship id and then
   * meeting id (so in order of creation), read page by page: memory holds a few pages, whatever the
   * program's size. Rows are read strongly, so a meeting written a moment ago is there. Only complete
   * once the program has its rows (`programHasRows`); until then, read `rowsIntoProgram` per
   * relationship.
   */
  async *rowsOfProgram(programId: string): AsyncGenerator<MeetingRow> {
    const shards = Array.from({ length: MEETING_SHARDS }, (_, shard) =>
      queryPages(this.db, {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': meetingRowsShard(this.tenantId, programId, shard) },
        // The merge orders by the sort key, so it is read too.
        ProjectionExpression: 'SK, #row',
        ExpressionAttributeNames: { '#row': 'row' },
        ConsistentRead: true,
        Limit: ROWS_PAGE,
      }),
    );
    for await (const item of mergeSorted(shards, (item) => item.SK as string))
      yield decodeRow(item.row as string);
  }

  /**
   * The status of every meeting of a program, from its rows, in no particular order (the shards
   * read side by side). Read strongly; only complete once the program has its rows.
   */
  async statusesOfProgram(programId: string): Promise<MeetingStatus[]> {
    const status = MEETING_ROW_FIELDS.indexOf('status');
    const shards = await Promise.all(
      Array.from({ length: MEETING_SHARDS }, (_, shard) =>
        queryAll(this.db, {
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': meetingRowsShard(this.tenantId, programId, shard) },
          ProjectionExpression: '#row',
          ExpressionAttributeNames: { '#row': 'row' },
          ConsistentRead: true,
        }),
      ),
    );
    return shards.flatMap((items) => items.map((item) => JSON.parse(item.row as string)[status]));
  }

  /** Whether every meeting of the program has its row (see keys.programMeetingRows). */
  async programHasRows(programId: string): Promise<boolean> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.programMeetingRows(this.tenantId, programId),
      }),
    );
    return Item !== undefined;
  }

  private rowsMark(programId: string) {
    return { ...keys.programMeetingRows(this.tenantId, programId), entity: 'programMeetingRows' };
  }

  /** Written with a new program: it has no meeting from before the rows. */
  programRowsOp(programId: string): WriteOp {
    return { item: { Put: { TableName: '', Item: this.rowsMark(programId) } } };
  }

  /** Once `rowsIntoProgram` entered every relationship of the program. */
  async markProgramHasRows(programId: string): Promise<void> {
    await this.db.doc.send(new PutCommand({ TableName: this.db.tableName, Item: this.rowsMark(programId) }));
  }

  /**
   * Every meeting of a relationship of `programId`, after writing the rows of those written before
   * there were rows. A row is written only over none or an older version's, so a meeting changed
   * meanwhile keeps the row its own write wrote (nothing about the meeting changes: no version,
   * no event).
   */
  async rowsIntoProgram(programId: string, relationshipId: string): Promise<Meeting[]> {
    const meetings = await this.all(relationshipId);
    await Promise.all(
      meetings.map(async (m) => {
        try {
          await this.db.doc.send(
            new PutCommand({
              TableName: this.db.tableName,
              Item: meetingRowItem(this.tenantId, programId, m),
              ConditionExpression: 'attribute_not_exists(PK) OR version < :version',
              ExpressionAttributeValues: { ':version': m.version },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }),
    );
    return meetings;
  }

  /** Every meeting of a relationship (a relationship holds tens of them, not thousands). */
  async all(relationshipId: string): Promise<Meeting[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.meeting(this.tenantId, relationshipId, '').PK,
        ':prefix': collections.meetings,
      },
      ConsistentRead: true,
    });
    return items.map((item) => toEntity(item, meetingSchema));
  }
}
