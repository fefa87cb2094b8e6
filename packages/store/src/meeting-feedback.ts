import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type EventDraft,
  type Feedback,
  feedback as feedbackSchema,
  NotFoundError,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { healthInputsChangedOp } from './health-inputs.ts';
import { collections, keys } from './keys.ts';
import { queryAll } from './query.ts';
import { TenantRepository } from './repository.ts';

/** Feedback on meetings, in the relationship's partition: one item per meeting and attendee. */
export class MeetingFeedbackRepository extends TenantRepository {
  /** A second submission by the same person for the same meeting is refused (409). */
  async create(value: Feedback, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.feedback(this.tenantId, value.relationshipId, value.meetingId, value.personId),
                entity: 'feedback',
                ...value,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onConditionFailed: () =>
            new ConflictError(`You already gave feedback on meeting ${value.meetingId}; feedback is final`),
        },
        healthInputsChangedOp(this.tenantId, value.relationshipId),
      ],
      event,
    );
  }

  async getOwn(relationshipId: string, meetingId: string, personId: string): Promise<Feedback> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.feedback(this.tenantId, relationshipId, meetingId, personId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`You gave no feedback on meeting ${meetingId}`);
    return toEntity(Item, feedbackSchema);
  }

  /** All feedback of one meeting, or of every meeting of the relationship when `meetingId` is absent. */
  async of(relationshipId: string, meetingId?: string): Promise<Feedback[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.feedback(this.tenantId, relationshipId, '', '').PK,
        ':prefix': meetingId ? `${collections.feedback}${meetingId}#` : collections.feedback,
      },
    });
    return items.map((item) => toEntity(item, feedbackSchema));
  }
}
