import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EarnedMilestone,
  type EventDraft,
  earnedMilestone as earnedSchema,
  type MilestoneRule,
  NotFoundError,
  PreconditionFailedError,
  milestoneRule as ruleSchema,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, keys, personPartition } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionCondition } from './transact.ts';

/** Raised when the milestone was earned before: by an earlier evaluation, or one running right now. */
export class MilestoneAlreadyEarnedError extends Error {}

/**
 * A program's milestone rules (in the program's partition) and the milestones people earned by
 * them (in each person's partition, keyed by rule, written at most once with their event).
 */
export class MilestoneRulesRepository extends TenantRepository {
  async create(value: MilestoneRule, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.milestoneRule(this.tenantId, value.programId, value.id),
                entity: 'milestoneRule',
                ...value,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async get(programId: string, ruleId: string): Promise<MilestoneRule> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.milestoneRule(this.tenantId, programId, ruleId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No milestone rule ${ruleId} in program ${programId}`);
    return toEntity(Item, ruleSchema);
  }

  /** Oldest first. */
  list(programId: string, page: PageRequest): Promise<Page<MilestoneRule>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.milestoneRule(this.tenantId, programId, '').PK,
          ':prefix': collections.milestoneRules,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|milestone-rules|${programId}`,
      ruleSchema,
    );
  }

  /** Every rule of a program (a program holds a handful). */
  async all(programId: string): Promise<MilestoneRule[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.milestoneRule(this.tenantId, programId, '').PK,
        ':prefix': collections.milestoneRules,
      },
      ConsistentRead: true,
    });
    return items.map((item) => toEntity(item, ruleSchema));
  }

  async delete(previous: MilestoneRule, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.milestoneRule(this.tenantId, previous.programId, previous.id),
              ...versionCondition(previous.version),
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(
              `Milestone rule ${previous.id} changed since version ${previous.version}`,
            ),
        },
      ],
      event,
    );
  }

  /**
   * Records an earned milestone with its event, unless the person earned it by this rule before
   * (MilestoneAlreadyEarnedError): the conditional put is what makes it happen once.
   */
  async earn(value: EarnedMilestone, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.earnedMilestone(this.tenantId, value.personId, value.ruleId),
                entity: 'earnedMilestone',
                ...value,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onConditionFailed: () =>
            new MilestoneAlreadyEarnedError(
              `${value.personId} already earned milestone rule ${value.ruleId}`,
            ),
        },
      ],
      event,
    );
  }

  /** The rules a person has earned milestones by. */
  async earnedRuleIds(personId: string): Promise<Set<string>> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': personPartition(this.tenantId, personId),
        ':prefix': collections.earnedMilestones,
      },
      ProjectionExpression: 'ruleId',
      ConsistentRead: true,
    });
    return new Set(items.map((item) => item.ruleId as string));
  }

  /** A person's earned milestones, in rule order (rule ids sort by creation). */
  earned(personId: string, page: PageRequest): Promise<Page<EarnedMilestone>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': personPartition(this.tenantId, personId),
          ':prefix': collections.earnedMilestones,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|milestones-earned|${personId}`,
      earnedSchema,
    );
  }
}
