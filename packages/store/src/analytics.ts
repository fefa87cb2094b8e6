import { isDeepStrictEqual } from 'node:util';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AnalyticsRecompute,
  analyticsRecompute,
  type Contributions,
  type Counters,
  type Goal,
  type Meeting,
  ORGANIZATION,
  type ProjectionRecord,
} from '@tandem/core';
import { batchGetAll, batchWriteAll } from './batch.ts';
import { toEntity } from './db.ts';
import { keys, relationshipPartition } from './keys.ts';
import { queryAll, sortKeyPrefix } from './query.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/** How long a marker of a counted event is kept: well past the stream's 24 h redelivery window. */
const APPLIED_RETENTION_SECONDS = 7 * 86_400;

/** A record as read, with the revision its replacement is conditional on. */
export interface StoredRecord {
  record: ProjectionRecord;
  revision: number;
}

/**
 * The effect of one event, or of several folded together, on the projection: records replaced,
 * counters moved, every event marked.
 */
export interface ProjectionChange {
  projection: string;
  eventIds: string[];
  records: { recordId: string; previous: number | undefined; next: ProjectionRecord }[];
  /** Records folded into others (a goal's own record into its relationship's), deleted if still the revision read. */
  deletes?: { recordId: string; revision: number }[];
  delta: Contributions;
  /** Organization records that must still be the revision read (a participant took its person from them). */
  guards?: { recordId: string; revision: number | undefined }[];
  /** People this change makes participants of the program. */
  participants?: string[];
}

/** What one relationship's workspace holds that its program's analytics count. */
export interface RelationshipAnalyticsSources {
  goals: Pick<Goal, 'id' | 'relationshipId' | 'status' | 'progress' | 'version'>[];
  meetings: Meeting['status'][];
  ratings: number[];
}

/** Batch writes in flight at once while replacing a projection. */
const PARALLEL_WRITES = 8;
const WRITES_PER_BATCH = 25;

/** Why a change did not commit. */
export type ProjectionOutcome = 'applied' | 'already_applied' | 'stale';

/** Items a change writes in its one transaction (markers, records, counter slices, guards, participants). */
export const projectionChangeItems = (change: ProjectionChange) =>
  change.eventIds.length +
  change.records.length +
  (change.deletes?.length ?? 0) +
  change.delta.size +
  (change.guards?.length ?? 0) +
  (change.participants?.length ?? 0);

/**
 * The analytics projection of programs: per-entity records, per-slice counters and the markers of
 * counted events, in one partition per program. The rules of what is counted live in core; this
 * only reads and writes items, each change in one transaction.
 */
export class AnalyticsRepository extends TenantRepository {
  /** The records of one program, read strongly (a reaction merges into what is there). */
  async records(programId: string, recordIds: string[]): Promise<Map<string, StoredRecord>> {
    const items = await batchGetAll(
      this.db,
      recordIds.map((id) => keys.analyticsRecord(this.tenantId, programId, id)),
      true,
    );
    return new Map(
      items.map((item) => [
        String(item.SK).slice('REC#'.length),
        { record: recordOf(item), revision: item.revision as number },
      ]),
    );
  }

  /**
   * Commits a change in one transaction: every record replaced only if it is still the revision
   * that was read, the counters ADDed, and each event's marker created only if absent.
   * `already_applied`: a marker exists (a redelivery; with several events, apply them one by one to
   * learn which); `stale`: a record moved meanwhile (merge again on fresh records).
   */
  async apply(programId: string, change: ProjectionChange): Promise<ProjectionOutcome> {
    const ops: WriteOp['item'][] = [
      ...change.eventIds.map((eventId) => ({
        Put: {
          TableName: this.db.tableName,
          Item: {
            ...keys.analyticsApplied(this.tenantId, programId, change.projection, eventId),
            entity: 'analyticsApplied',
            expiresAt: Math.floor(this.clock().getTime() / 1000) + APPLIED_RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })),
      ...change.records.map(({ recordId, previous, next }) => ({
        Put: {
          TableName: this.db.tableName,
          Item: {
            ...keys.analyticsRecord(this.tenantId, programId, recordId),
            entity: 'analyticsRecord',
            record: JSON.stringify(next),
            revision: (previous ?? 0) + 1,
          },
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: 'revision = :previous',
                ExpressionAttributeValues: { ':previous': previous },
              }),
        },
      })),
      ...(change.deletes ?? []).map(({ recordId, revision }) => ({
        Delete: {
          TableName: this.db.tableName,
          Key: keys.analyticsRecord(this.tenantId, programId, recordId),
          ConditionExpression: 'revision = :revision',
          ExpressionAttributeValues: { ':revision': revision },
        },
      })),
      ...[...change.delta].map(([slice, counters]) => this.addOp(programId, slice, counters)),
      ...(change.guards ?? []).map(({ recordId, revision }) => ({
        ConditionCheck: {
          TableName: this.db.tableName,
          Key: keys.analyticsRecord(this.tenantId, ORGANIZATION, recordId),
          ...(revision === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: 'revision = :revision',
                ExpressionAttributeValues: { ':revision': revision },
              }),
        },
      })),
      ...(change.participants ?? []).map((personId) => ({
        Put: {
          TableName: this.db.tableName,
          Item: {
            ...keys.analyticsProgramOf(this.tenantId, ORGANIZATION, personId, programId),
            entity: 'analyticsProgramOf',
          },
        },
      })),
    ];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.doc.send(new TransactWriteCommand({ TransactItems: ops }));
        return 'applied';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = (r: { Code?: string | undefined } | undefined) => r?.Code === 'ConditionalCheckFailed';
        if (reasons.slice(0, change.eventIds.length).some(failed)) return 'already_applied';
        if (reasons.some(failed)) return 'stale';
        if (!reasons.some((r) => r.Code === 'TransactionConflict') || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * Math.random()));
      }
    }
  }

  private addOp(programId: string, slice: string, counters: Counters): WriteOp['item'] {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds = Object.entries(counters).map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    return {
      Update: {
        TableName: this.db.tableName,
        Key: keys.analyticsSums(this.tenantId, programId, slice),
        UpdateExpression: `SET #entity = :entity ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: { ...names, '#entity': 'entity' },
        ExpressionAttributeValues: { ...values, ':entity': 'analyticsSums' },
      },
    };
  }

  /** The program's last requested rebuild, if one was ever asked for. */
  async recomputeOf(programId: string): Promise<AnalyticsRecompute | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.analyticsRecompute(this.tenantId, programId),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity(Item, analyticsRecompute) : undefined;
  }

  /** Writes the rebuild's status, with the timer that runs it (asked) or removes it (done). */
  async recordRecompute(value: AnalyticsRecompute, timerOp: WriteOp): Promise<void> {
    await this.write([
      {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.analyticsRecompute(this.tenantId, value.programId),
              entity: 'analyticsRecompute',
              ...value,
            },
          },
        },
      },
      timerOp,
    ]);
  }

  /** The programs whose participant records hold this person (strongly read: see `guards`). */
  async programsOf(personId: string): Promise<string[]> {
    const prefix = keys.analyticsProgramOf(this.tenantId, ORGANIZATION, personId, '');
    const range = sortKeyPrefix(prefix.SK);
    const items = await queryAll(this.db, {
      KeyConditionExpression: `PK = :pk AND ${range.condition}`,
      ExpressionAttributeValues: { ':pk': prefix.PK, ...range.values },
      ConsistentRead: true,
    });
    return items.map((item) => String(item.SK).slice(prefix.SK.length));
  }

  /** The program-wide counters, and with `slicePrefix` every slice of that kind (one query). */
  async sums(programId: string, slicePrefix?: string): Promise<Record<string, Counters>> {
    const all = keys.analyticsSums(this.tenantId, programId, 'all');
    const range = slicePrefix
      ? sortKeyPrefix(keys.analyticsSums(this.tenantId, programId, `${slicePrefix}#`).SK)
      : undefined;
    const [whole, slices] = await Promise.all([
      this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: all })),
      range
        ? this.db.doc.send(
            new QueryCommand({
              TableName: this.db.tableName,
              KeyConditionExpression: `PK = :pk AND ${range.condition}`,
              ExpressionAttributeValues: { ':pk': all.PK, ...range.values },
            }),
          )
        : undefined,
    ]);
    const out: Record<string, Counters> = {};
    for (const item of [...(whole.Item ? [whole.Item] : []), ...(slices?.Items ?? [])])
      out[String(item.SK).slice('SUM#'.length)] = countersOf(item);
    return out;
  }

  /**
   * A relationship's goals, ratings and (with `meetings`) meeting outcomes, in one query of its
   * partition that returns only the attributes counted (feedback `FBK#`, goals `GOAL#` and meetings
   * `MTG#` lie in one key range in that order; the other items between goals and meetings, goal
   * updates and health days, are filtered out by their entity). Without `meetings` the range ends
   * after the goals, so neither the meetings nor what lies between are read: a program whose
   * meetings have rows reads their outcomes there (MeetingsRepository.statusesOfProgram).
   */
  async relationshipSources(
    relationshipId: string,
    { meetings = true }: { meetings?: boolean } = {},
  ): Promise<RelationshipAnalyticsSources> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      FilterExpression: '#entity IN (:goal, :meeting, :feedback)',
      ProjectionExpression: 'SK, #entity, id, #status, progress, version, rating',
      ExpressionAttributeNames: { '#entity': 'entity', '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': relationshipPartition(this.tenantId, relationshipId),
        ':from': 'FBK#',
        // '$' sorts right after '#': past every `GOAL#<id>` (or `MTG#<id>`).
        ':to': meetings ? 'MTG$' : 'GOAL$',
        ':goal': 'goal',
        ':meeting': 'meeting',
        ':feedback': 'feedback',
      },
      ConsistentRead: true,
    });
    const out: RelationshipAnalyticsSources = { goals: [], meetings: [], ratings: [] };
    for (const item of items) {
      if (item.entity === 'goal')
        out.goals.push({
          id: item.id as string,
          relationshipId,
          status: item.status as Goal['status'],
          progress: item.progress as number,
          version: item.version as number,
        });
      else if (item.entity === 'meeting') out.meetings.push(item.status as Meeting['status']);
      else out.ratings.push(item.rating as number);
    }
    return out;
  }

  /**
   * Replaces the projection of a program with a recomputed one, writing only what differs from
   * what is stored: records and counters that changed, deletes of records or slices the recompute
   * no longer has. Event markers stay, so a late redelivery of an event already in the sources is
   * still not counted twice. Each participant's entry in the index of their programs is written
   * before their record, so a stored record always has its entry (a stale entry costs one idle
   * merge; entries are never pruned).
   */
  async replace(
    programId: string,
    records: Map<string, ProjectionRecord>,
    sums: Record<string, Counters>,
    participants: string[] = [],
  ): Promise<void> {
    const partition = keys.analyticsSums(this.tenantId, programId, 'all').PK;
    const stored = async (prefix: string) => {
      const range = sortKeyPrefix(prefix);
      return queryAll(this.db, {
        KeyConditionExpression: `PK = :pk AND ${range.condition}`,
        ExpressionAttributeValues: { ':pk': partition, ...range.values },
      });
    };
    const [storedRecords, storedSums] = await Promise.all([stored('REC#'), stored('SUM#')]);
    const existing = new Map([...storedRecords, ...storedSums].map((item) => [String(item.SK), item]));
    const writes: Parameters<typeof batchWriteAll>[1] = [];
    const moved = new Set<string>();
    for (const [recordId, record] of records) {
      const key = keys.analyticsRecord(this.tenantId, programId, recordId);
      const before = existing.get(key.SK);
      existing.delete(key.SK);
      if (before && isDeepStrictEqual(recordOf(before), record)) continue;
      if (record.kind === 'participant') moved.add(record.personId);
      writes.push({
        PutRequest: {
          Item: {
            ...key,
            entity: 'analyticsRecord',
            record: JSON.stringify(record),
            revision: ((before?.revision as number | undefined) ?? 0) + 1,
          },
        },
      });
    }
    for (const [slice, counters] of Object.entries(sums)) {
      const key = keys.analyticsSums(this.tenantId, programId, slice);
      const before = existing.get(key.SK);
      existing.delete(key.SK);
      if (before && isDeepStrictEqual(countersOf(before), counters)) continue;
      writes.push({ PutRequest: { Item: { ...key, entity: 'analyticsSums', ...counters } } });
    }
    for (const sk of existing.keys()) writes.push({ DeleteRequest: { Key: { PK: partition, SK: sk } } });
    await this.writeAll(
      participants
        .filter((personId) => moved.has(personId))
        .map((personId) => ({
          PutRequest: {
            Item: {
              ...keys.analyticsProgramOf(this.tenantId, ORGANIZATION, personId, programId),
              entity: 'analyticsProgramOf',
            },
          },
        })),
    );
    await this.writeAll(writes);
  }

  /** Batch writes, several batches in flight (the items are distinct, so their order does not matter). */
  private async writeAll(writes: Parameters<typeof batchWriteAll>[1]) {
    const batches: (typeof writes)[] = [];
    for (let i = 0; i < writes.length; i += WRITES_PER_BATCH)
      batches.push(writes.slice(i, i + WRITES_PER_BATCH));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL_WRITES, batches.length) }, async () => {
        while (next < batches.length) await batchWriteAll(this.db, batches[next++]!);
      }),
    );
  }
}

/**
 * A record as stored: a JSON string, or a map in projections written before records were stored
 * as strings (read alike; rewritten as a string on the record's next change).
 */
const recordOf = (item: Record<string, unknown>): ProjectionRecord =>
  typeof item.record === 'string' ? JSON.parse(item.record) : (item.record as ProjectionRecord);

function countersOf(item: Record<string, unknown>): Counters {
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item))
    if (typeof value === 'number' && name !== 'expiresAt') counters[name] = value;
  return counters;
}
