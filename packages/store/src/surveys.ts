import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  type Survey,
  type SurveyTally,
  survey as surveySchema,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { tallyChangeOps, tallyFromItems, tallyStartPut } from './survey-tally-items.ts';
import { versionedUpdate, type WriteOp } from './transact.ts';

const changedSince = (id: string, version: number) =>
  new PreconditionFailedError(`Survey ${id} changed since version ${version}`);

/**
 * A program's survey definitions, beside the program. `responses` and the survey's tally (what its
 * results are computed from) are kept by the answers' transactions.
 */
export class SurveysRepository extends TenantRepository {
  async create(value: Survey, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.survey(this.tenantId, value.programId, value.id), entity: 'survey', ...value },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        tallyStartPut(this.tenantId, value.programId, value.id),
      ],
      event,
    );
  }

  /** The survey's tally, read in one query; undefined for a survey created before tallies were kept. */
  async tally(programId: string, surveyId: string): Promise<SurveyTally | undefined> {
    const key = keys.surveyTally(this.tenantId, programId, surveyId);
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': key.PK, ':prefix': key.SK },
      ConsistentRead: true,
    });
    return tallyFromItems(key, items);
  }

  /** Part of an answer's transaction: adds what the answer changes (see `tallyChange`) to the tally. */
  tallyOps(current: Pick<Survey, 'programId' | 'id'>, change: SurveyTally): WriteOp[] {
    return tallyChangeOps(this.tenantId, current.programId, current.id, change);
  }

  async get(programId: string, id: string): Promise<Survey> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.survey(this.tenantId, programId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No survey ${id} in program ${programId}`);
    return toEntity(Item, surveySchema);
  }

  list(programId: string, page: PageRequest): Promise<Page<Survey>> {
    return queryPage(
      this.db,
      this.ofProgram(programId),
      page,
      this.cursors,
      `${this.tenantId}|surveys|${programId}`,
      surveySchema,
    );
  }

  /** Every survey of a program (a program holds few): what an event that opens instances reads. */
  async all(programId: string): Promise<Survey[]> {
    const items = await queryAll(this.db, { ...this.ofProgram(programId), ConsistentRead: true });
    return items.map((item) => toEntity(item, surveySchema));
  }

  /**
   * Conditional on the version and on the response count read: the compatibility rule for questions
   * was checked against that count, so a first response landing meanwhile makes this a lost race.
   */
  async update(previous: Survey, next: Survey, removed: string[], event: EventDraft): Promise<void> {
    const update = versionedUpdate(keys.survey(this.tenantId, next.programId, next.id), next, {
      expectedVersion: previous.version,
      removed,
      skip: ['programId', 'responses'],
    }).Update!;
    await this.write(
      [
        {
          item: {
            Update: {
              ...update,
              ConditionExpression: `${update.ConditionExpression} AND responses = :responses`,
              ExpressionAttributeValues: {
                ...update.ExpressionAttributeValues,
                ':responses': previous.responses,
              },
            },
          },
          onConditionFailed: () => changedSince(next.id, previous.version),
        },
      ],
      event,
    );
  }

  /**
   * Part of an answer's transaction: the survey is still at the version the answers were checked
   * against, and a first answer counts one more response.
   */
  answeredOp(current: Survey, first: boolean): WriteOp {
    const Key = keys.survey(this.tenantId, current.programId, current.id);
    const condition = {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
    };
    return {
      item: first
        ? {
            Update: {
              TableName: '',
              Key,
              UpdateExpression: 'ADD responses :one',
              ...condition,
              ExpressionAttributeValues: { ':expected': current.version, ':one': 1 },
            },
          }
        : {
            ConditionCheck: {
              TableName: '',
              Key,
              ...condition,
              ExpressionAttributeValues: { ':expected': current.version },
            },
          },
      onConditionFailed: () => changedSince(current.id, current.version),
    };
  }

  private ofProgram(programId: string) {
    return {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.survey(this.tenantId, programId, '').PK,
        ':prefix': collections.surveys,
      },
    };
  }
}
