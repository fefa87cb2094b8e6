import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  type Program,
  type ProgramStatus,
  program,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionedUpdate, type WriteOp } from './transact.ts';

const changedSince = (id: string, version: number) =>
  new PreconditionFailedError(`Program ${id} changed since version ${version}`);

export class ProgramsRepository extends TenantRepository {
  /** `alsoWrite` joins the same transaction (the program's end timer). */
  async create(program: Program, event: EventDraft, alsoWrite: WriteOp[] = []): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.program(this.tenantId, program.id), entity: 'program', ...program },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        ...alsoWrite,
      ],
      event,
    );
  }

  async get(id: string): Promise<Program> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.program(this.tenantId, id) }),
    );
    if (!Item) throw new NotFoundError(`No program ${id}`);
    return toEntity(Item, program);
  }

  /** `activeEnrollments` is owned by enrollment transactions, so an update never writes it. */
  async update(
    previous: Program,
    next: Program,
    removed: string[],
    event: EventDraft,
    alsoWrite: WriteOp[] = [],
  ): Promise<void> {
    await this.write(
      [
        {
          item: versionedUpdate(keys.program(this.tenantId, next.id), next, {
            expectedVersion: previous.version,
            removed,
            skip: ['activeEnrollments', 'status'],
          }),
          onConditionFailed: () => changedSince(next.id, previous.version),
        },
        ...alsoWrite,
      ],
      event,
    );
  }

  /**
   * Moves the status, conditional on the status (and version) that the rules were checked
   * against. Starting matching re-checks the enrollment count inside the condition, because
   * withdrawals may race with the transition.
   */
  async transition(previous: Program, to: ProgramStatus, now: string, event: EventDraft): Promise<void> {
    const guardEnrollments = to === 'matching';
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.program(this.tenantId, previous.id),
              UpdateExpression: 'SET #status = :to, updatedAt = :now, #version = #version + :one',
              ConditionExpression: `#version = :expected AND #status = :from${guardEnrollments ? ' AND activeEnrollments >= :two' : ''}`,
              ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
              ExpressionAttributeValues: {
                ':to': to,
                ':now': now,
                ':one': 1,
                ':expected': previous.version,
                ':from': previous.status,
                ...(guardEnrollments ? { ':two': 2 } : {}),
              },
            },
          },
          onConditionFailed: () => changedSince(previous.id, previous.version),
        },
      ],
      event,
    );
  }

  /** Only drafts without enrollments are deleted; anything that ran is archived instead. */
  async deleteDraft(previous: Program, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.program(this.tenantId, previous.id),
              ConditionExpression: '#version = :expected AND #status = :draft AND activeEnrollments = :zero',
              ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
              ExpressionAttributeValues: { ':expected': previous.version, ':draft': 'draft', ':zero': 0 },
            },
          },
          onConditionFailed: () => changedSince(previous.id, previous.version),
        },
      ],
      event,
    );
  }

  /** Programs that require training of some role (for a person's training status and archiving checks). */
  async withRequiredTraining(): Promise<Program[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: 'attribute_exists(requiredTraining)',
      ExpressionAttributeValues: {
        ':pk': keys.program(this.tenantId, '').PK,
        ':prefix': collections.programs,
      },
    });
    return items.map((item) => toEntity(item, program));
  }

  async list(filter: { status?: ProgramStatus | undefined }, page: PageRequest): Promise<Page<Program>> {
    return queryPage<Program>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(filter.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: {
          ':pk': keys.program(this.tenantId, '').PK,
          ':prefix': collections.programs,
          ...(filter.status ? { ':status': filter.status } : {}),
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|programs|${JSON.stringify(filter)}`,
      program,
    );
  }
}
