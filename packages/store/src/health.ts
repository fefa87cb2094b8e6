import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AtRiskRelationship,
  atRiskRelationship,
  type EventDraft,
  type Feedback,
  feedback as feedbackSchema,
  type Goal,
  goal as goalSchema,
  HEALTH_HISTORY_DAYS,
  type HealthHistoryEntry,
  healthHistoryEntry,
  type Meeting,
  meeting as meetingSchema,
  PreconditionFailedError,
  type RelationshipHealth,
  relationshipHealth,
  type StoredAgreement,
  storedAgreement,
  type Timer,
} from '@tandem/core';
import * as z from 'zod';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { collections, keys, relationshipPartition } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage, sortKeyPrefix } from './query.ts';
import { TenantRepository } from './repository.ts';
import { timerIndexKeys } from './timers.ts';
import { versionCondition, type WriteOp } from './transact.ts';

const healthMonth = z.object({ month: z.string(), days: z.string() });

/**
 * Days of history as the evaluation and the months' items store them: one string,
 * `2027-01-05:73,2027-01-06:48!` (`!` when at risk). A list of maps costs DynamoDB markedly more
 * on every write of the evaluation, which the scheduled job makes for every relationship daily.
 */
const encodeDays = (days: HealthHistoryEntry[]) =>
  days.map((day) => `${day.date}:${day.score}${day.atRisk ? '!' : ''}`).join(',');

const decodeDays = (text: string | undefined): HealthHistoryEntry[] =>
  text
    ? text.split(',').map((day) => {
        const [date, score] = day.split(':') as [string, string];
        return { date, score: Number.parseInt(score, 10), atRisk: score.endsWith('!') };
      })
    : [];

const monthOf = (entry: HealthHistoryEntry) => entry.date.slice(0, 7);

/**
 * The evaluation's days with `entry` added (replacing the same day's), and the days of earlier
 * months it no longer holds, by month (one month, at the first evaluation of the next).
 */
function addDay(days: HealthHistoryEntry[], entry: HealthHistoryEntry) {
  const month = monthOf(entry);
  const kept = days.filter((day) => monthOf(day) === month && day.date !== entry.date);
  const finished = Map.groupBy(
    days.filter((day) => monthOf(day) !== month),
    monthOf,
  );
  return { days: [...kept, entry].sort((a, b) => a.date.localeCompare(b.date)), finished };
}

/** The health timer an evaluation carries (see `RelationshipHealth.dueAt`). */
const healthTimerOf = (health: RelationshipHealth): Timer => ({
  kind: 'relationship.health',
  subjectId: health.relationshipId,
  dueAt: health.dueAt!,
});

/** A relationship's partition as a health evaluation reads it. */
export interface HealthEvaluationInputs {
  /** The last evaluation stored, if any. */
  previous?: RelationshipHealth;
  agreement?: StoredAgreement;
  goals: Goal[];
  feedback: Feedback[];
  meetings: Meeting[];
}

/** What a relationship's next evaluation starts from, read before anything else of its partition. */
export interface HealthEvaluationState {
  /** The last evaluation stored, if any. */
  previous?: RelationshipHealth;
  /** The partition's inputs mark (`keys.healthInputs`), if any input was written with one. */
  inputsMark?: string;
}

/**
 * Relationship health: the latest evaluation (one item, versioned, with its month's daily history
 * and the relationship's health timer), an item per finished month of history beside it, and the
 * program's at-risk list (one pointer per relationship at risk).
 */
export class HealthRepository extends TenantRepository {
  /**
   * Everything an evaluation reads of the relationship's partition, consistently: the last
   * evaluation, the agreement, goals, feedback and meetings. The sort keys from `AGREEMENT` to
   * `HEALTH` hold the first four, with the agreement's versions and the goals' histories between
   * them (filtered out); the meetings sort after the daily history, which grows to a year and more,
   * so they are a second query run beside the first rather than one range that reads the history.
   */
  async evaluationInputs(relationshipId: string): Promise<HealthEvaluationInputs> {
    const pk = relationshipPartition(this.tenantId, relationshipId);
    const agreementKey = keys.agreement(this.tenantId, relationshipId).SK;
    const healthKey = keys.health(this.tenantId, relationshipId).SK;
    const [head, meetings] = await Promise.all([
      queryAll(this.db, {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :agreement AND :health',
        // A filter cannot name the sort key; the entity tag tells the histories apart.
        FilterExpression: 'NOT (#entity IN (:versions, :goalUpdates))',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: {
          ':pk': pk,
          ':agreement': agreementKey,
          ':health': healthKey,
          ':versions': 'agreementVersion',
          ':goalUpdates': 'goalUpdate',
        },
        ConsistentRead: true,
      }),
      queryAll(this.db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': collections.meetings },
        ConsistentRead: true,
      }),
    ]);
    const inputs: HealthEvaluationInputs = {
      goals: [],
      feedback: [],
      meetings: meetings.map((item) => toEntity(item, meetingSchema)),
    };
    for (const item of head) {
      const sk = item.SK as string;
      if (sk === agreementKey) inputs.agreement = toEntity(item, storedAgreement);
      else if (sk === healthKey) inputs.previous = toEntity(item, relationshipHealth);
      else if (sk.startsWith(collections.goals)) inputs.goals.push(toEntity(item, goalSchema));
      else if (sk.startsWith(collections.feedback)) inputs.feedback.push(toEntity(item, feedbackSchema));
    }
    return inputs;
  }

  /**
   * The last evaluation and the inputs mark of many relationships, in batched consistent reads
   * (a page of the scheduled job's due timers).
   */
  async evaluationStates(relationshipIds: string[]): Promise<Map<string, HealthEvaluationState>> {
    const items = await batchGetAll(
      this.db,
      relationshipIds.flatMap((id) => [keys.health(this.tenantId, id), keys.healthInputs(this.tenantId, id)]),
      true,
    );
    const states = new Map<string, HealthEvaluationState>(relationshipIds.map((id) => [id, {}]));
    const byPartition = new Map(
      relationshipIds.map((id) => [relationshipPartition(this.tenantId, id), states.get(id)!]),
    );
    const healthKey = keys.health(this.tenantId, '').SK;
    for (const item of items) {
      const state = byPartition.get(item.PK as string);
      if (!state) continue;
      if (item.SK === healthKey) state.previous = toEntity(item, relationshipHealth);
      else state.inputsMark = item.mark as string;
    }
    return states;
  }

  async get(relationshipId: string): Promise<RelationshipHealth | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.health(this.tenantId, relationshipId),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity(Item, relationshipHealth) : undefined;
  }

  /**
   * The last evaluation, if any, with the latest `limit` days of history, newest first: the days of
   * the evaluation's month from the evaluation, earlier ones from the finished months' items (and
   * from the one-day items earlier code wrote, while their TTL keeps them).
   */
  async withHistory(
    relationshipId: string,
    limit: number,
  ): Promise<{ stored: RelationshipHealth | undefined; history: HealthHistoryEntry[] }> {
    const [stored, archived] = await Promise.all([
      this.get(relationshipId),
      this.#archived(relationshipId, limit),
    ]);
    const byDate = new Map(archived.map((entry) => [entry.date, entry]));
    for (const entry of decodeDays(stored?.days)) byDate.set(entry.date, entry);
    const history = [...byDate.values()].sort((a, b) => b.date.localeCompare(a.date)).slice(0, limit);
    return { stored, history };
  }

  /** At least the latest `limit` archived days (when there are as many), newest first. */
  async #archived(relationshipId: string, limit: number): Promise<HealthHistoryEntry[]> {
    const entries: HealthHistoryEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.health(this.tenantId, relationshipId).PK,
            ':prefix': collections.healthDays,
          },
          ScanIndexForward: false,
          // Each item holds one day at least.
          Limit: limit - entries.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of result.Items ?? []) {
        if (item.entity === 'healthMonth')
          entries.push(...decodeDays(toEntity(item, healthMonth).days).reverse());
        else entries.push(toEntity(item, healthHistoryEntry));
      }
      start = result.LastEvaluatedKey;
    } while (start && entries.length < limit);
    return entries;
  }

  /**
   * Stores an evaluation, conditional on the one it was computed against (none, or its version):
   * of two concurrent evaluations one lands and the other is refused with a 412, so the events a
   * change of state raises (`events`) are written once, with the state that raised them. The
   * evaluation carries its relationship's health timer (`next.dueAt`), which moves with it.
   */
  async record(
    previous: RelationshipHealth | undefined,
    next: RelationshipHealth,
    events: EventDraft[],
    alsoWrite: WriteOp[] = [],
  ): Promise<void> {
    const evaluation = await this.#evaluationOp(previous, next);
    const pointer = keys.atRisk(this.tenantId, next.programId, next.relationshipId);
    await this.write(
      [
        evaluation,
        ...(next.atRisk
          ? [{ item: { Put: { TableName: '', Item: this.#pointerItem(next) } } }]
          : // Off the list: only a relationship that was on it has a pointer to remove.
            previous?.atRisk
            ? [{ item: { Delete: { TableName: '', Key: pointer } } }]
            : []),
        ...alsoWrite,
      ],
      events,
    );
  }

  /**
   * Stores an evaluation that changed no state an event reports (it stayed on, or off, the at-risk
   * list), as single-item writes rather than one transaction: there is no outbox entry to keep
   * atomic with it. The evaluation (with the day's history entry and the moved timer it carries)
   * is conditional on the one it was computed against, as in `record`, so it never overwrites a
   * concurrent evaluation that raised events; the pointer of a relationship still at risk is
   * refreshed only while it exists and is not newer (ending the relationship or its recovery
   * removes it, and this never brings it back). `thenWrite` runs after them, in order (the removal
   * of a timer item the evaluation replaced with the timer it carries: a crash before it leaves
   * that timer due, and the next pass evaluates again). Throws the op's error when its condition
   * fails.
   */
  async recordWithoutEvents(
    previous: RelationshipHealth | undefined,
    next: RelationshipHealth,
    thenWrite: WriteOp[] = [],
  ): Promise<void> {
    const evaluation = await this.#evaluationOp(previous, next);
    // A refused refresh means the pointer is gone or newer: the list is already as it should be.
    const pointerRefresh = next.atRisk
      ? this.writeOne({
          Put: {
            TableName: '',
            Item: this.#pointerItem(next),
            ConditionExpression: 'attribute_exists(PK) AND evaluatedAt <= :evaluatedAt',
            ExpressionAttributeValues: { ':evaluatedAt': next.evaluatedAt },
          },
        })
      : undefined;
    await Promise.all([this.writeSingle(evaluation), pointerRefresh]);
    for (const op of thenWrite) await this.writeSingle(op);
  }

  /**
   * The evaluation's write, with the day's history entry added to its month's days. The first
   * evaluation of a month first stores the month before it as an item of its own (before the write
   * that drops those days from the evaluation, so a crash between them loses nothing: the next
   * evaluation stores it again).
   */
  async #evaluationOp(previous: RelationshipHealth | undefined, next: RelationshipHealth): Promise<WriteOp> {
    const { days, finished } = addDay(decodeDays(previous?.days), {
      date: next.evaluatedAt.slice(0, 10),
      score: next.score,
      atRisk: next.atRisk,
    });
    await Promise.all(
      [...finished].map(([month, entries]) => this.#storeMonth(next.relationshipId, month, entries)),
    );
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.health(this.tenantId, next.relationshipId),
            ...(next.dueAt ? timerIndexKeys(this.tenantId, healthTimerOf(next)) : {}),
            entity: 'health',
            ...next,
            days: encodeDays(days),
          },
          ...versionCondition(previous?.version),
        },
      },
      onConditionFailed: () =>
        new PreconditionFailedError(
          `The health of relationship ${next.relationshipId} was evaluated meanwhile`,
        ),
    };
  }

  /**
   * A finished month of history. A store from an evaluation that lost its race and read fewer of
   * the month's days is refused, so the stored month never loses a day.
   */
  async #storeMonth(relationshipId: string, month: string, days: HealthHistoryEntry[]): Promise<void> {
    const last = days.at(-1)!.date;
    await this.writeOne({
      Put: {
        TableName: '',
        Item: {
          ...keys.healthMonth(this.tenantId, relationshipId, month),
          entity: 'healthMonth',
          month,
          days: encodeDays(days),
          count: days.length,
          expiresAt: Math.floor(Date.parse(last) / 1000) + (HEALTH_HISTORY_DAYS + 1) * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(PK) OR #count <= :count',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':count': days.length },
      },
    });
  }

  #pointerItem(next: RelationshipHealth) {
    return {
      ...keys.atRisk(this.tenantId, next.programId, next.relationshipId),
      entity: 'atRisk',
      relationshipId: next.relationshipId,
      score: next.score,
      atRiskSince: next.atRiskSince,
      reasons: next.reasons,
      evaluatedAt: next.evaluatedAt,
    };
  }

  /** How many relationships of the program are at risk now: a count of its at-risk list. */
  async atRiskCount(programId: string): Promise<number> {
    // The program's partition holds its enrollments too: a range of the key index, not a scan of them.
    const range = sortKeyPrefix(collections.atRisk);
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.tableName,
          KeyConditionExpression: `PK = :pk AND ${range.condition}`,
          ExpressionAttributeValues: { ':pk': keys.atRisk(this.tenantId, programId, '').PK, ...range.values },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += result.Count ?? 0;
      start = result.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async atRisk(programId: string, page: PageRequest): Promise<Page<AtRiskRelationship>> {
    const range = sortKeyPrefix(collections.atRisk);
    return queryPage(
      this.db,
      {
        KeyConditionExpression: `PK = :pk AND ${range.condition}`,
        ExpressionAttributeValues: { ':pk': keys.atRisk(this.tenantId, programId, '').PK, ...range.values },
      },
      page,
      this.cursors,
      `${this.tenantId}|at-risk|${programId}`,
      atRiskRelationship,
    );
  }
}
