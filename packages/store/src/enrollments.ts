import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type DomainEvent,
  type Enrollment,
  enrollment,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  type Program,
} from '@tandem/core';
import type { CursorCodec } from './cursor.ts';
import { type Db, toEntity } from './db.ts';
import { collections, keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { versionedUpdate, writeAtomically } from './transact.ts';

export interface EnrollmentFilter {
  role?: Enrollment['role'] | undefined;
  status?: Enrollment['status'] | undefined;
  personId?: string | undefined;
}

export class EnrollmentsRepository {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly cursors: CursorCodec,
  ) {}

  /**
   * One transaction: the enrollment, the person's seat in the program (one active enrollment
   * per person), the program's counter (capacity and enrollment status re-checked in the
   * condition) and a check that the person is still active.
   */
  async create(enrollment: Enrollment, program: Program, event: DomainEvent): Promise<void> {
    const max = program.capacity.maxParticipants;
    await writeAtomically(
      this.db,
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.enrollmentSeat(this.tenantId, program.id, enrollment.personId),
                enrollmentId: enrollment.id,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onConditionFailed: () =>
            new ConflictError(`Person ${enrollment.personId} is already enrolled in this program`, [
              { field: '/personId', message: 'already has an active enrollment in this program' },
            ]),
        },
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.program(this.tenantId, program.id),
              UpdateExpression: 'ADD activeEnrollments :one',
              ConditionExpression: `attribute_exists(PK) AND #status IN (:draft, :enrolling)${max ? ' AND activeEnrollments < :max' : ''}`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':one': 1,
                ':draft': 'draft',
                ':enrolling': 'enrolling',
                ...(max ? { ':max': max } : {}),
              },
            },
          },
          onConditionFailed: () =>
            new ConflictError(
              max
                ? `The program is full (${max} participants) or no longer enrolling`
                : 'The program is no longer enrolling',
            ),
        },
        {
          item: {
            ConditionCheck: {
              TableName: '',
              Key: keys.person(this.tenantId, enrollment.personId),
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':active': 'active' },
            },
          },
          onConditionFailed: () =>
            new InvalidInputError(`Person ${enrollment.personId} does not exist or is not active`, [
              { field: '/personId', message: 'must be an active person of this organization' },
            ]),
        },
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.enrollment(this.tenantId, program.id, enrollment.id),
                entity: 'enrollment',
                ...enrollment,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async get(programId: string, id: string): Promise<Enrollment> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.enrollment(this.tenantId, programId, id) }),
    );
    if (!Item) throw new NotFoundError(`No enrollment ${id} in program ${programId}`);
    return toEntity(Item, enrollment);
  }

  async update(previous: Enrollment, next: Enrollment, removed: string[], event: DomainEvent): Promise<void> {
    await writeAtomically(
      this.db,
      [
        {
          item: versionedUpdate(keys.enrollment(this.tenantId, next.programId, next.id), next, {
            expectedVersion: previous.version,
            removed,
            skip: ['programId', 'personId', 'role', 'status'],
          }),
          onConditionFailed: () =>
            new PreconditionFailedError(`Enrollment ${next.id} changed since version ${previous.version}`),
        },
      ],
      event,
    );
  }

  /** Withdrawal keeps the enrollment for history but frees the seat and the program's capacity. */
  async withdraw(previous: Enrollment, now: string, event: DomainEvent): Promise<void> {
    await writeAtomically(
      this.db,
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.enrollment(this.tenantId, previous.programId, previous.id),
              UpdateExpression:
                'SET #status = :withdrawn, withdrawnAt = :now, updatedAt = :now, #version = #version + :one',
              ConditionExpression: '#version = :expected AND #status = :active',
              ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
              ExpressionAttributeValues: {
                ':withdrawn': 'withdrawn',
                ':active': 'active',
                ':now': now,
                ':one': 1,
                ':expected': previous.version,
              },
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(
              `Enrollment ${previous.id} changed since version ${previous.version}`,
            ),
        },
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.enrollmentSeat(this.tenantId, previous.programId, previous.personId),
            },
          },
        },
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.program(this.tenantId, previous.programId),
              UpdateExpression: 'ADD activeEnrollments :minusOne',
              ExpressionAttributeValues: { ':minusOne': -1 },
            },
          },
        },
      ],
      event,
    );
  }

  async list(programId: string, filter: EnrollmentFilter, page: PageRequest): Promise<Page<Enrollment>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const field of ['role', 'status', 'personId'] as const) {
      if (filter[field] === undefined) continue;
      conditions.push(`#${field} = :${field}`);
      names[`#${field}`] = field;
      values[`:${field}`] = filter[field];
    }
    return queryPage<Enrollment>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(conditions.length
          ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ExpressionAttributeValues: {
          ':pk': keys.enrollment(this.tenantId, programId, '').PK,
          ':prefix': collections.enrollments,
          ...values,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|enrollments|${programId}|${JSON.stringify(filter)}`,
      enrollment,
    );
  }
}
