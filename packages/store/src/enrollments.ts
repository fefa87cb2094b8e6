import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type Enrollment,
  type EventDraft,
  enrollment,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  type Program,
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { collections, gsi1, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionedUpdate, type WriteOp } from './transact.ts';

export interface EnrollmentFilter {
  role?: Enrollment['role'] | undefined;
  status?: Enrollment['status'] | undefined;
  personId?: string | undefined;
}

export class EnrollmentsRepository extends TenantRepository {
  /**
   * One transaction: the enrollment, the person's seat in the program (one active enrollment
   * per person), the program's counter (capacity and enrollment status re-checked in the
   * condition) and a check that the person is still active. `alsoWrite` joins it (the
   * participant's pre-program survey instances).
   */
  async create(
    enrollment: Enrollment,
    program: Program,
    events: EventDraft | EventDraft[],
    alsoWrite: WriteOp[] = [],
  ): Promise<void> {
    const max = program.capacity.maxParticipants;
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.enrollmentSeat(this.tenantId, program.id, enrollment.personId),
                GSI1PK: gsi1.seatsOfPerson(this.tenantId, enrollment.personId),
                GSI1SK: program.id,
                programId: program.id,
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
        ...alsoWrite,
      ],
      events,
    );
  }

  async get(programId: string, id: string): Promise<Enrollment> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.enrollment(this.tenantId, programId, id) }),
    );
    if (!Item) throw new NotFoundError(`No enrollment ${id} in program ${programId}`);
    return toEntity(Item, enrollment);
  }

  /**
   * A person's active enrollments across the tenant's programs, oldest first: their seats (one per
   * program, which exist exactly while an enrollment is active) through GSI1, then the enrollments.
   */
  async activeOfPerson(personId: string): Promise<Enrollment[]> {
    const seats = await queryAll(this.db, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': gsi1.seatsOfPerson(this.tenantId, personId) },
    });
    const items = await batchGetAll(
      this.db,
      seats.map((seat) =>
        keys.enrollment(this.tenantId, seat.programId as string, seat.enrollmentId as string),
      ),
    );
    return items
      .map((item) => toEntity(item, enrollment))
      .filter((value) => value.status === 'active')
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async update(previous: Enrollment, next: Enrollment, removed: string[], event: EventDraft): Promise<void> {
    await this.write(
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
  async withdraw(previous: Enrollment, now: string, event: EventDraft): Promise<void> {
    await this.write(
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

  /**
   * The active enrollments of some people in a program, by person id, in two batched reads (the
   * seats name the enrollments): a few members' enrollments without listing the whole program.
   */
  async activeOf(programId: string, personIds: string[]): Promise<Map<string, Enrollment>> {
    const seats = await batchGetAll(
      this.db,
      [...new Set(personIds)].map((personId) => keys.enrollmentSeat(this.tenantId, programId, personId)),
      true,
    );
    const found = await batchGetAll(
      this.db,
      seats.map((seat) => keys.enrollment(this.tenantId, programId, String(seat.enrollmentId))),
      true,
    );
    const active = new Map<string, Enrollment>();
    for (const item of found) {
      const value = toEntity(item, enrollment);
      if (value.status === 'active') active.set(value.personId, value);
    }
    return active;
  }

  /** Every active enrollment of a program, read page by page inside the store (no public cursors). */
  async allActive(programId: string): Promise<Enrollment[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.enrollment(this.tenantId, programId, '').PK,
        ':prefix': collections.enrollments,
        ':active': 'active',
      },
    });
    return items.map((item) => toEntity(item, enrollment));
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
