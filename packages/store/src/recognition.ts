import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Award,
  type AwardType,
  award,
  awardType,
  ConflictError,
  type EventDraft,
  type Nomination,
  NotFoundError,
  nomination,
  PreconditionFailedError,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, gsi1, keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionedUpdate, type WriteOp } from './transact.ts';

const changedSince = (what: string, id: string, version: number) =>
  new PreconditionFailedError(`${what} ${id} changed since version ${version}`);

/** The awards an organization's admins defined. */
export class AwardTypesRepository extends TenantRepository {
  async create(value: AwardType, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.awardType(this.tenantId, value.id), entity: 'awardType', ...value },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async get(id: string): Promise<AwardType> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.awardType(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No award type ${id}`);
    return toEntity(Item, awardType);
  }

  list(page: PageRequest): Promise<Page<AwardType>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.awardType(this.tenantId, '').PK,
          ':prefix': collections.awardTypes,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|awardTypes`,
      awardType,
    );
  }
}

/** Nominations and their decisions. */
export class NominationsRepository extends TenantRepository {
  async create(value: Nomination, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.nomination(this.tenantId, value.id), entity: 'nomination', ...value },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async get(id: string): Promise<Nomination> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.nomination(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No nomination ${id}`);
    return toEntity(Item, nomination);
  }

  /** Records a decision, conditional on the version the admin decided on (still pending then). */
  async decide(previous: Nomination, next: Nomination, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: versionedUpdate(keys.nomination(this.tenantId, next.id), next, {
            expectedVersion: previous.version,
          }),
          onConditionFailed: () => changedSince('Nomination', next.id, previous.version),
        },
      ],
      event,
    );
  }

  list(filter: { status?: string | undefined }, page: PageRequest): Promise<Page<Nomination>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(filter.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: {
          ':pk': keys.nomination(this.tenantId, '').PK,
          ':prefix': collections.nominations,
          ...(filter.status ? { ':status': filter.status } : {}),
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|nominations|${filter.status ?? ''}`,
      nomination,
    );
  }
}

/** Awards: written by the recognition workflow's steps, read per person and per program. */
export class AwardsRepository extends TenantRepository {
  private item(value: Award) {
    return {
      ...keys.award(this.tenantId, value.id),
      GSI1PK: gsi1.awardsOfPerson(this.tenantId, value.personId),
      GSI1SK: value.id,
      entity: 'award',
      ...value,
    };
  }

  /**
   * The award, unless it exists already (a retried step, a second execution): false then. A
   * milestone's award also claims its (rule, person) marker, so that milestone awards once.
   */
  async createOnce(value: Award, options: { event?: EventDraft; extra?: WriteOp[] } = {}): Promise<boolean> {
    const marker: WriteOp[] =
      value.source.kind === 'milestone'
        ? [
            {
              item: {
                Put: {
                  TableName: '',
                  Item: {
                    ...keys.milestoneAward(this.tenantId, value.source.ruleId, value.personId),
                    entity: 'milestoneAward',
                    awardId: value.id,
                  },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              onConditionFailed: () => new ConflictError('already awarded'),
            },
          ]
        : [];
    try {
      await this.write(
        [
          {
            item: {
              Put: { TableName: '', Item: this.item(value), ConditionExpression: 'attribute_not_exists(PK)' },
            },
            onConditionFailed: () => new ConflictError('already awarded'),
          },
          ...marker,
          ...(options.extra ?? []),
        ],
        options.event,
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError && error.message === 'already awarded') return false;
      throw error;
    }
  }

  /** The organization's name, as certificates print it. */
  async organizationName(): Promise<string> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.tenant(this.tenantId),
        ProjectionExpression: '#name',
        ExpressionAttributeNames: { '#name': 'name' },
      }),
    );
    if (!Item) throw new NotFoundError(`No tenant ${this.tenantId}`);
    return Item.name as string;
  }

  /** The award a milestone rule granted the person, if any. */
  async milestoneAwardId(ruleId: string, personId: string): Promise<string | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.milestoneAward(this.tenantId, ruleId, personId),
        ConsistentRead: true,
      }),
    );
    return Item?.awardId as string | undefined;
  }

  async find(id: string): Promise<Award | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.award(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity(Item, award) : undefined;
  }

  async get(id: string): Promise<Award> {
    const found = await this.find(id);
    if (!found) throw new NotFoundError(`No award ${id}`);
    return found;
  }

  /** Replaces the award with `next`, conditional on the version read. */
  async update(previous: Award, next: Award, options: { removed?: string[]; event?: EventDraft } = {}) {
    await this.write(
      [
        {
          item: versionedUpdate(keys.award(this.tenantId, next.id), next, {
            expectedVersion: previous.version,
            removed: options.removed ?? [],
          }),
          onConditionFailed: () => changedSince('Award', next.id, previous.version),
        },
      ],
      options.event,
    );
  }

  listOfPerson(personId: string, page: PageRequest): Promise<Page<Award>> {
    return queryPage(
      this.db,
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': gsi1.awardsOfPerson(this.tenantId, personId) },
      },
      page,
      this.cursors,
      `${this.tenantId}|awards|person|${personId}`,
      award,
    );
  }

  /** A program's awards: the tenant's awards filtered by program (awards are few per tenant). */
  listOfProgram(programId: string, page: PageRequest): Promise<Page<Award>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: 'programId = :program',
        ExpressionAttributeValues: {
          ':pk': keys.award(this.tenantId, '').PK,
          ':prefix': collections.awards,
          ':program': programId,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|awards|program|${programId}`,
      award,
    );
  }
}
