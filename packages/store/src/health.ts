import { ExecuteStatementCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AtRiskRelationship,
  agreementTerms,
  atRiskRelationship,
  type EventDraft,
  feedback as feedbackSchema,
  goal as goalSchema,
  HEALTH_HISTORY_DAYS,
  type HealthHistoryEntry,
  healthHistoryEntry,
  meeting as meetingSchema,
  PreconditionFailedError,
  type RelationshipHealth,
  relationshipHealth,
  type Timer,
} from '@tandem/core';
import * as z from 'zod';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { type GatheredWriter, WriteGathering } from './gathered-writes.ts';
import { collections, keys, relationshipPartition } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage, sortKeyPrefix } from './query.ts';
import { TenantRepository } from './repository.ts';
import { timerIndexKeys } from './timers.ts';
import { versionCondition, type WriteOp } from './transact.ts';

const healthMonth = z.object({ month: z.string(), days: z.string() });

/** What an at-risk list entry holds (entries written by earlier code hold more, left unread). */
const atRiskPointer = z.object({ relationshipId: z.string(), atRiskSince: z.string() });

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

/**
 * An evaluation's nested parts, stored as JSON text each. A write pays for every nested attribute,
 * and this item is written for every relationship daily and held four times over (the table, the
 * timer index, the stream record's old and new images), while nothing reads inside those parts in
 * the table.
 */
const storedAsText = ['components', 'reasons', 'basis'] as const;

function evaluationItem(next: RelationshipHealth): Record<string, unknown> {
  const item: Record<string, unknown> = { ...next };
  for (const name of storedAsText) if (next[name] !== undefined) item[name] = JSON.stringify(next[name]);
  return item;
}

/**
 * The evaluation item of a relationship not evaluated yet (version 0): the health timer its start
 * set, which the first evaluation's write moves on like every later one. A relationship that ended
 * before its first evaluation keeps it without the timer (the job removes the timer it carries).
 */
export interface HealthPlaceholder {
  version: 0;
  dueAt?: string;
}

/** What an evaluation's write replaces: the last evaluation, a placeholder, or nothing. */
export type StoredHealth = RelationshipHealth | HealthPlaceholder;

const isEvaluation = (stored: StoredHealth): stored is RelationshipHealth => stored.version !== 0;

/** The last evaluation among what a write replaces (none when it replaces the placeholder). */
const evaluated = (stored: StoredHealth | undefined) => (stored && isEvaluation(stored) ? stored : undefined);

const isPlaceholder = (item: Record<string, unknown>) => item.version === 0;

const placeholderOf = (item: Record<string, unknown>): HealthPlaceholder => ({
  version: 0,
  ...(typeof item.dueAt === 'string' ? { dueAt: item.dueAt } : {}),
});

/** A stored evaluation; earlier code stored its nested parts as nested attributes, read as they are. */
function evaluationOf(item: Record<string, unknown>): RelationshipHealth {
  const fields = { ...item };
  for (const name of storedAsText)
    if (typeof fields[name] === 'string') fields[name] = JSON.parse(fields[name] as string);
  return toEntity(fields, relationshipHealth);
}

/** The health timer an evaluation carries (see `RelationshipHealth.dueAt`). */
const healthTimerOf = (health: RelationshipHealth): Timer => ({
  kind: 'relationship.health',
  subjectId: health.relationshipId,
  dueAt: health.dueAt!,
});

/** The relationship's evaluation item as read: the last evaluation, or the placeholder before it. */
interface StoredHealthRead {
  /** The last evaluation stored, if any. */
  previous?: RelationshipHealth;
  /** The placeholder that holds the item before the first evaluation, if it does. */
  placeholder?: HealthPlaceholder;
}

function readStoredHealth(item: Record<string, unknown>, into: StoredHealthRead): void {
  if (isPlaceholder(item)) into.placeholder = placeholderOf(item);
  else into.previous = evaluationOf(item);
}

/**
 * What a score reads of each kind of input in a relationship's partition (see `HealthInput`), as
 * their schemas check it: an evaluation's read asks for these attributes only (and the whole stored
 * evaluation). A logged meeting holds about twenty, of which a score reads two; the rest is then
 * neither sent nor parsed.
 */
const scoredInputs = {
  agreement: z.object({ cadence: agreementTerms.shape.cadence, duration: agreementTerms.shape.duration }),
  goal: z.object({ status: goalSchema.shape.status, progress: goalSchema.shape.progress }),
  feedback: z.object({ rating: feedbackSchema.shape.rating, createdAt: feedbackSchema.shape.createdAt }),
  meeting: z.object({ status: meetingSchema.shape.status, startsAt: meetingSchema.shape.startsAt }),
};

/** The attributes an evaluation's query reads: the sort key, what scores read, the stored evaluation. */
const evaluationInputsProjection = [
  ...new Set([
    'SK',
    ...Object.values(scoredInputs).flatMap((schema) => Object.keys(schema.shape)),
    ...Object.keys(relationshipHealth.shape),
  ]),
];

/**
 * An evaluation's inputs sort from `AGREEMENT` to the meetings (`MTG#`), with the agreement's
 * versions, the goals' histories, the inputs mark, the finished months of history (one item a
 * month) and the milestones between them, which the entity filter leaves out (DynamoDB still
 * reads them). `$` sorts right after `#`: the bound is past every `MTG#<id>`.
 */
const INPUTS_FIRST = keys.agreement('', '').SK;
const HEALTH_KEY = keys.health('', '').SK;
const INPUTS_END = `${collections.meetings.slice(0, -1)}$`;
const inputEntities = ['agreement', 'goal', 'feedback', 'health', 'meeting'] as const;

/** Partitions per PartiQL read of `evaluationInputsOfMany` (DynamoDB takes up to 50 in an `IN`). */
const PARTITIONS_PER_READ = 25;

/** A relationship's partition as a health evaluation reads it: what a score reads of each input. */
export interface HealthEvaluationInputs extends StoredHealthRead {
  agreement?: z.infer<typeof scoredInputs.agreement>;
  goals: z.infer<typeof scoredInputs.goal>[];
  feedback: z.infer<typeof scoredInputs.feedback>[];
  meetings: z.infer<typeof scoredInputs.meeting>[];
}

/** A relationship's inputs from the items of its partition that an evaluation reads. */
function inputsOf(items: Record<string, unknown>[]): HealthEvaluationInputs {
  const inputs: HealthEvaluationInputs = { goals: [], feedback: [], meetings: [] };
  for (const item of items) {
    const sk = item.SK as string;
    if (sk === INPUTS_FIRST) inputs.agreement = scoredInputs.agreement.parse(item);
    else if (sk === HEALTH_KEY) readStoredHealth(item, inputs);
    else if (sk.startsWith(collections.goals)) inputs.goals.push(scoredInputs.goal.parse(item));
    else if (sk.startsWith(collections.feedback)) inputs.feedback.push(scoredInputs.feedback.parse(item));
    else if (sk.startsWith(collections.meetings)) inputs.meetings.push(scoredInputs.meeting.parse(item));
  }
  return inputs;
}

/** What a relationship's next evaluation starts from, read before anything else of its partition. */
export interface HealthEvaluationState extends StoredHealthRead {
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
   * Everything an evaluation reads of the relationship's partition, consistently, in one query: the
   * last evaluation (or the placeholder before it), and what a score reads of the agreement, goals,
   * feedback and meetings (`scoredInputs`), from the range `INPUTS_FIRST` to `INPUTS_END` (a
   * relationship's one-day history items from earlier code are read in it, and filtered out, until
   * their TTL removes them).
   */
  async evaluationInputs(relationshipId: string): Promise<HealthEvaluationInputs> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :meetingsEnd',
      // A filter cannot name the sort key; the entity tag tells the inputs apart.
      FilterExpression: '#entity IN (:agreement, :goal, :feedback, :health, :meeting)',
      ProjectionExpression: evaluationInputsProjection.map((_, i) => `#p${i}`).join(', '),
      ExpressionAttributeNames: {
        '#entity': 'entity',
        ...Object.fromEntries(evaluationInputsProjection.map((name, i) => [`#p${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':pk': relationshipPartition(this.tenantId, relationshipId),
        ':first': INPUTS_FIRST,
        ':meetingsEnd': INPUTS_END,
        ...Object.fromEntries(inputEntities.map((entity) => [`:${entity}`, entity])),
      },
      ConsistentRead: true,
    });
    return inputsOf(items);
  }

  /**
   * What `evaluationInputs` reads, for many relationships (a page of the scheduled job's due
   * timers), in PartiQL reads of up to `PARTITIONS_PER_READ` partitions each: a query costs Node
   * and DynamoDB (Local) mostly per request, not per item, and DynamoDB has no batched query. A
   * `SELECT` whose partition key is `IN` a list reads those partitions as queries would (no scan),
   * consistently, in pages (`NextToken`).
   */
  async evaluationInputsOfMany(relationshipIds: string[]): Promise<Map<string, HealthEvaluationInputs>> {
    const byPartition = new Map(relationshipIds.map((id) => [relationshipPartition(this.tenantId, id), id]));
    const groups = Map.groupBy(relationshipIds, (_, i) => Math.floor(i / PARTITIONS_PER_READ));
    const read = await Promise.all(
      [...groups.values()].map(async (group) => {
        const items: Record<string, unknown>[] = [];
        let NextToken: string | undefined;
        do {
          const page = await this.db.doc.send(
            new ExecuteStatementCommand({
              Statement: `SELECT ${evaluationInputsProjection.map((name) => `"${name}"`).join(', ')}, "PK" FROM "${this.db.tableName}" WHERE "PK" IN [${group.map(() => '?').join(', ')}] AND "SK" BETWEEN ? AND ? AND "entity" IN [${inputEntities.map(() => '?').join(', ')}]`,
              Parameters: [
                ...group.map((id) => relationshipPartition(this.tenantId, id)),
                INPUTS_FIRST,
                INPUTS_END,
                ...inputEntities,
              ],
              ConsistentRead: true,
              NextToken,
            }),
          );
          items.push(...(page.Items ?? []));
          NextToken = page.NextToken;
        } while (NextToken);
        return items;
      }),
    );
    const byRelationship = Map.groupBy(read.flat(), (item) => byPartition.get(item.PK as string)!);
    return new Map(relationshipIds.map((id) => [id, inputsOf(byRelationship.get(id) ?? [])]));
  }

  /**
   * The last evaluation and the inputs mark of many relationships, in batched consistent reads
   * (a page of the scheduled job's due timers). `stored` holds evaluations already read (by
   * relationship id, as stored: those that carry a due timer, which the job's query of due timers
   * returned); only their marks are read. One from the timer index may be a moment stale in AWS:
   * an evaluation computed against it is refused by its version condition and retried on a fresh
   * read, like one that lost a race.
   */
  async evaluationStates(
    relationshipIds: string[],
    stored: ReadonlyMap<string, Record<string, unknown>> = new Map(),
  ): Promise<Map<string, HealthEvaluationState>> {
    const items = await batchGetAll(
      this.db,
      relationshipIds.flatMap((id) => [
        ...(stored.has(id) ? [] : [keys.health(this.tenantId, id)]),
        keys.healthInputs(this.tenantId, id),
      ]),
      true,
    );
    items.push(...stored.values());
    const states = new Map<string, HealthEvaluationState>(relationshipIds.map((id) => [id, {}]));
    const byPartition = new Map(
      relationshipIds.map((id) => [relationshipPartition(this.tenantId, id), states.get(id)!]),
    );
    for (const item of items) {
      const state = byPartition.get(item.PK as string);
      if (!state) continue;
      if (item.SK === HEALTH_KEY) readStoredHealth(item, state);
      else state.inputsMark = item.mark as string;
    }
    return states;
  }

  /** The last evaluation of each of many relationships that has one, in batched consistent reads. */
  async latestOf(relationshipIds: string[]): Promise<Map<string, RelationshipHealth>> {
    const items = await batchGetAll(
      this.db,
      relationshipIds.map((id) => keys.health(this.tenantId, id)),
      true,
    );
    const byPartition = new Map(relationshipIds.map((id) => [relationshipPartition(this.tenantId, id), id]));
    return new Map(
      items
        .filter((item) => !isPlaceholder(item))
        .map((item) => [byPartition.get(item.PK as string)!, evaluationOf(item)]),
    );
  }

  async get(relationshipId: string): Promise<RelationshipHealth | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.health(this.tenantId, relationshipId),
        ConsistentRead: true,
      }),
    );
    return Item && !isPlaceholder(Item) ? evaluationOf(Item) : undefined;
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
   * The evaluation item a relationship starts with, written in the transaction that starts it: a
   * placeholder carrying the relationship's first health timer (`relationship.health`), so that the
   * first evaluation moves the timer in its one write as every later one does, instead of taking
   * over a timer item and removing it.
   */
  placeholderOp(timer: Timer): WriteOp {
    const placeholder: HealthPlaceholder = { version: 0, dueAt: timer.dueAt };
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.health(this.tenantId, timer.subjectId),
            ...timerIndexKeys(this.tenantId, timer),
            entity: 'health',
            relationshipId: timer.subjectId,
            ...placeholder,
          },
        },
      },
    };
  }

  /**
   * Stores an evaluation, conditional on what it was computed against (nothing, the placeholder, or
   * the last evaluation: its version): of two concurrent evaluations one lands and the other is
   * refused with a 412, so the events a change of state raises (`events`) are written once, with
   * the state that raised them. The evaluation carries its relationship's health timer
   * (`next.dueAt`), which moves with it. Written `via` a gathering, its ops and events are one group
   * of the gathering's transactions, all or nothing as on their own.
   */
  async record(
    previous: StoredHealth | undefined,
    next: RelationshipHealth,
    events: EventDraft[],
    alsoWrite: WriteOp[] = [],
    via?: GatheredWriter,
  ): Promise<void> {
    const evaluation = await this.#evaluationOp(previous, next);
    const pointer = keys.atRisk(this.tenantId, next.programId, next.relationshipId);
    await this.write(
      [
        evaluation,
        ...(next.atRisk
          ? [{ item: { Put: { TableName: '', Item: this.#pointerItem(next) } } }]
          : // Off the list: only a relationship that was on it has a pointer to remove.
            evaluated(previous)?.atRisk
            ? [{ item: { Delete: { TableName: '', Key: pointer } } }]
            : []),
        ...alsoWrite,
      ],
      events,
      via,
    );
  }

  /**
   * Stores an evaluation that changed no state an event reports (it stayed on, or off, the at-risk
   * list), as single-item writes rather than one transaction: there is no outbox entry to keep
   * atomic with it. The evaluation (with the day's history entry and the moved timer it carries)
   * is conditional on the one it was computed against, as in `record`, so it never overwrites a
   * concurrent evaluation that raised events. The at-risk list's pointer is left as it is: it
   * changes only when the relationship crosses the threshold, ends or recovers, and the list reads
   * score and reasons from the evaluations. `thenWrite` runs after it, in order (the removal
   * of a timer item the evaluation replaced with the timer it carries: a crash before it leaves
   * that timer due, and the next pass evaluates again). Throws the op's error when its condition
   * fails. Written `via` a gathering (the scheduled job's page of evaluations), the evaluation and
   * `thenWrite` go as one group of its transactions instead: all or nothing.
   */
  async recordWithoutEvents(
    previous: StoredHealth | undefined,
    next: RelationshipHealth,
    thenWrite: WriteOp[] = [],
    via?: GatheredWriter,
  ): Promise<void> {
    const evaluation = await this.#evaluationOp(previous, next);
    if (via) return this.write([evaluation, ...thenWrite], [], via);
    await this.writeSingle(evaluation);
    for (const op of thenWrite) await this.writeSingle(op);
  }

  /**
   * Gathers the writes of `members` evaluations running at once (a page of the scheduled job's due
   * timers) into shared transactions (see `WriteGathering`); each evaluation writes through its
   * `member()`.
   */
  gatherWrites(members: number): WriteGathering {
    return new WriteGathering(this.db, members);
  }

  /**
   * The evaluation's write, with the day's history entry added to its month's days. The first
   * evaluation of a month first stores the month before it as an item of its own (before the write
   * that drops those days from the evaluation, so a crash between them loses nothing: the next
   * evaluation stores it again).
   */
  async #evaluationOp(previous: StoredHealth | undefined, next: RelationshipHealth): Promise<WriteOp> {
    const { days, finished } = addDay(decodeDays(evaluated(previous)?.days), {
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
            ...evaluationItem(next),
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

  /**
   * A relationship's entry in its program's at-risk list: only what stays put while it is at risk,
   * so that the daily evaluations of a relationship at risk do not write it again.
   */
  #pointerItem(next: RelationshipHealth) {
    return {
      ...keys.atRisk(this.tenantId, next.programId, next.relationshipId),
      entity: 'atRisk',
      relationshipId: next.relationshipId,
      atRiskSince: next.atRiskSince,
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

  /**
   * A page of the program's at-risk list, with each relationship's score and reasons as of its last
   * evaluation (read with the page, in one batch). One that recovered between the two reads is left
   * out, as the next page read would.
   */
  async atRisk(programId: string, page: PageRequest): Promise<Page<AtRiskRelationship>> {
    const range = sortKeyPrefix(collections.atRisk);
    const pointers = await queryPage(
      this.db,
      {
        KeyConditionExpression: `PK = :pk AND ${range.condition}`,
        ExpressionAttributeValues: { ':pk': keys.atRisk(this.tenantId, programId, '').PK, ...range.values },
      },
      page,
      this.cursors,
      `${this.tenantId}|at-risk|${programId}`,
      atRiskPointer,
    );
    const evaluations = await batchGetAll(
      this.db,
      pointers.items.map((pointer) => keys.health(this.tenantId, pointer.relationshipId)),
      true,
    );
    const byRelationship = new Map(
      evaluations.map((item) => evaluationOf(item)).map((health) => [health.relationshipId, health]),
    );
    return {
      items: pointers.items.flatMap((pointer) => {
        const health = byRelationship.get(pointer.relationshipId);
        if (!health?.atRisk) return [];
        return [
          atRiskRelationship.parse({
            relationshipId: pointer.relationshipId,
            score: health.score,
            atRiskSince: health.atRiskSince ?? pointer.atRiskSince,
            reasons: health.reasons,
            evaluatedAt: health.evaluatedAt,
          }),
        ];
      }),
      nextCursor: pointers.nextCursor,
    };
  }
}
