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
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { collections, keys, relationshipPartition } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionCondition, type WriteOp } from './transact.ts';

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
 * Relationship health: the latest evaluation (one item, versioned), a daily history beside it,
 * and the program's at-risk list (one pointer per relationship at risk).
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

  /** The latest `limit` days evaluated, newest first. */
  async history(relationshipId: string, limit: number): Promise<HealthHistoryEntry[]> {
    const { Items } = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.health(this.tenantId, relationshipId).PK,
          ':prefix': collections.healthDays,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => toEntity(item, healthHistoryEntry));
  }

  /**
   * Stores an evaluation, conditional on the one it was computed against (none, or its version):
   * of two concurrent evaluations one lands and the other is refused with a 412, so the events a
   * change of state raises (`events`) are written once, with the state that raised them.
   */
  async record(
    previous: RelationshipHealth | undefined,
    next: RelationshipHealth,
    events: EventDraft[],
    alsoWrite: WriteOp[] = [],
  ): Promise<void> {
    const { evaluation, day } = this.#evaluationOps(previous, next);
    const pointer = keys.atRisk(this.tenantId, next.programId, next.relationshipId);
    await this.write(
      [
        evaluation,
        day,
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
   * atomic with it. The evaluation is conditional on the one it was computed against, as in
   * `record`, so it never overwrites a concurrent evaluation that raised events; the day's history
   * entry is keyed by date, so a repeat overwrites it; the pointer of a relationship still at risk
   * is refreshed only while it exists and is not newer (ending the relationship or its recovery
   * removes it, and this never brings it back). `thenWrite` runs after them, in order (the
   * scheduled job's moved timer last: a crash before it leaves the timer due, and the next pass
   * evaluates again). Throws the op's error when its condition fails.
   */
  async recordWithoutEvents(
    previous: RelationshipHealth | undefined,
    next: RelationshipHealth,
    thenWrite: WriteOp[] = [],
  ): Promise<void> {
    const { evaluation, day } = this.#evaluationOps(previous, next);
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
    await Promise.all([this.writeSingle(evaluation), this.writeSingle(day), pointerRefresh]);
    for (const op of thenWrite) await this.writeSingle(op);
  }

  #evaluationOps(previous: RelationshipHealth | undefined, next: RelationshipHealth) {
    const date = next.evaluatedAt.slice(0, 10);
    const evaluation: WriteOp = {
      item: {
        Put: {
          TableName: '',
          Item: { ...keys.health(this.tenantId, next.relationshipId), entity: 'health', ...next },
          ...versionCondition(previous?.version),
        },
      },
      onConditionFailed: () =>
        new PreconditionFailedError(
          `The health of relationship ${next.relationshipId} was evaluated meanwhile`,
        ),
    };
    const day: WriteOp = {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.healthDay(this.tenantId, next.relationshipId, date),
            entity: 'healthDay',
            date,
            score: next.score,
            atRisk: next.atRisk,
            expiresAt: Math.floor(Date.parse(next.evaluatedAt) / 1000) + HEALTH_HISTORY_DAYS * 86_400,
          },
        },
      },
    };
    return { evaluation, day };
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
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.atRisk(this.tenantId, programId, '').PK,
            ':prefix': collections.atRisk,
          },
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
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.atRisk(this.tenantId, programId, '').PK,
          ':prefix': collections.atRisk,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|at-risk|${programId}`,
      atRiskRelationship,
    );
  }
}
