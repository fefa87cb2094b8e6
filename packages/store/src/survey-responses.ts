import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  surveyResponse as responseSchema,
  type SurveyResponse,
  type SurveyResponseSource,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { gsi1, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage, sortKeyPrefix } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionCondition, type WriteOp } from './transact.ts';

/**
 * Survey responses, one per answered instance, read by id (the analytics reaction follows
 * `survey.answered` here) and listed per program or per survey through GSI1.
 */
export class SurveyResponsesRepository extends TenantRepository {
  /** Writes the response with the ops that go with it (instance, survey) and its event, in one transaction. */
  async save(
    previous: SurveyResponse | undefined,
    next: SurveyResponse,
    alsoWrite: WriteOp[],
    events: EventDraft | EventDraft[],
  ): Promise<void> {
    await this.write([this.saveOp(previous, next), ...alsoWrite], events);
  }

  saveOp(previous: SurveyResponse | undefined, next: SurveyResponse): WriteOp {
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.surveyResponse(this.tenantId, next.id),
            GSI1PK: gsi1.surveyResponses(this.tenantId, next.programId),
            GSI1SK: `${next.surveyId}#${next.id}`,
            entity: 'surveyResponse',
            ...next,
          },
          ...versionCondition(previous?.version),
        },
      },
      onConditionFailed: () => new PreconditionFailedError(`Survey response ${next.id} changed meanwhile`),
    };
  }

  async get(id: string): Promise<SurveyResponse> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.surveyResponse(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No survey response ${id}`);
    return toEntity(Item, responseSchema);
  }

  /** A program's responses, or one survey's, oldest first. */
  ofProgram(programId: string, page: PageRequest, surveyId?: string): Promise<Page<SurveyResponse>> {
    return queryPage(
      this.db,
      this.query(programId, surveyId),
      page,
      this.cursors,
      `${this.tenantId}|survey-responses|${programId}|${surveyId ?? '*'}`,
      responseSchema,
    );
  }

  /**
   * The schedule and answers of every response of one survey, read as stored (only those
   * attributes, no schema parse): what a survey without a tally sums for its results.
   */
  async answersOfSurvey(
    programId: string,
    surveyId: string,
  ): Promise<Pick<SurveyResponse, 'scheduleKind' | 'answers'>[]> {
    const items = await queryAll(this.db, {
      ...this.query(programId, surveyId),
      ProjectionExpression: 'scheduleKind, answers',
    });
    return items as unknown as Pick<SurveyResponse, 'scheduleKind' | 'answers'>[];
  }

  /**
   * What the analytics count of every response of one survey, read as stored: only those
   * attributes, and no schema parse: a recompute reads every response of the program, and counts
   * only these.
   */
  async countedOfSurvey(programId: string, surveyId: string): Promise<SurveyResponseSource[]> {
    const items = await queryAll(this.db, {
      ...this.query(programId, surveyId),
      ProjectionExpression: 'id, programId, surveyId, personId, scheduleKind, #version, createdAt, answers',
      ExpressionAttributeNames: { '#version': 'version' },
    });
    return items as unknown as SurveyResponseSource[];
  }

  /** One survey's responses as a sort-key range, not begins_with (see sortKeyPrefix): a program may hold tens of thousands. */
  private query(programId: string, surveyId: string | undefined) {
    const range = surveyId ? sortKeyPrefix(`${surveyId}#`, 'GSI1SK') : undefined;
    return {
      IndexName: 'GSI1',
      KeyConditionExpression: range ? `GSI1PK = :pk AND ${range.condition}` : 'GSI1PK = :pk',
      ExpressionAttributeValues: {
        ':pk': gsi1.surveyResponses(this.tenantId, programId),
        ...range?.values,
      },
    };
  }
}
