import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  surveyResponse as responseSchema,
  type SurveyResponse,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { gsi1, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
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

  /** Every response of one survey, for aggregates. */
  async allOfSurvey(programId: string, surveyId: string): Promise<SurveyResponse[]> {
    const items = await queryAll(this.db, this.query(programId, surveyId));
    return items.map((item) => toEntity(item, responseSchema));
  }

  private query(programId: string, surveyId: string | undefined) {
    return {
      IndexName: 'GSI1',
      KeyConditionExpression: surveyId ? 'GSI1PK = :pk AND begins_with(GSI1SK, :survey)' : 'GSI1PK = :pk',
      ExpressionAttributeValues: {
        ':pk': gsi1.surveyResponses(this.tenantId, programId),
        ...(surveyId ? { ':survey': `${surveyId}#` } : {}),
      },
    };
  }
}
