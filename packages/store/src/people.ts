import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type EventDraft,
  NotFoundError,
  normalizeEmail,
  type Person,
  PreconditionFailedError,
  person,
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { collections, gsi1, keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionedUpdate, type WriteOp } from './transact.ts';

export interface PeopleFilter {
  department?: string | undefined;
  skill?: string | undefined;
  status?: Person['status'] | undefined;
  updatedSince?: string | undefined;
}

const emailTaken = (email: string) =>
  new ConflictError(`Another person in this organization already uses ${email}`, [
    { field: '/email', message: 'already used by another person' },
  ]);

const externalIdTaken = (system: string, value: string) =>
  new ConflictError(`Another person in this organization already has the ${system} id ${value}`, [
    { field: `/externalIds/${system}`, message: 'already used by another person' },
  ]);

/** Lower-cased names of every skill a person offers or wants, for the `skill` list filter. */
const skillIndex = (p: Person) => [
  ...new Set([...p.skillsOffered, ...p.skillsWanted].map((s) => s.name.toLowerCase())),
];

export class PeopleRepository extends TenantRepository {
  private item(person: Person) {
    return {
      ...keys.person(this.tenantId, person.id),
      GSI1PK: gsi1.peopleByUpdate(this.tenantId),
      GSI1SK: `${person.updatedAt}#${person.id}`,
      entity: 'person',
      _skills: skillIndex(person),
      ...person,
    };
  }

  private emailSeat(person: Person) {
    return {
      Put: {
        TableName: '',
        Item: {
          ...keys.personEmail(this.tenantId, normalizeEmail(person.email)),
          entity: 'email',
          personId: person.id,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  /**
   * The lookup items of the person's external ids (keys.personExternalId): claimed with the
   * person, so an id of another system names at most one person of the organization.
   */
  private externalIdSeats(person: Person, systems: string[]): WriteOp[] {
    return systems.map((system) => {
      const value = person.externalIds![system]!;
      return {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.personExternalId(this.tenantId, system, value),
              entity: 'externalId',
              personId: person.id,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        onConditionFailed: () => externalIdTaken(system, value),
      };
    });
  }

  /** `also`: writes that belong to the same change (a SCIM record), in the same transaction. */
  async create(person: Person, event: EventDraft, also: WriteOp[] = []): Promise<void> {
    await this.write(
      [
        ...also,
        { item: this.emailSeat(person), onConditionFailed: () => emailTaken(person.email) },
        ...this.externalIdSeats(person, Object.keys(person.externalIds ?? {})),
        {
          item: {
            Put: { TableName: '', Item: this.item(person), ConditionExpression: 'attribute_not_exists(PK)' },
          },
        },
      ],
      event,
    );
  }

  async get(id: string): Promise<Person> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.person(this.tenantId, id) }),
    );
    if (!Item) throw new NotFoundError(`No person ${id}`);
    return toEntity(Item, person);
  }

  /** The people among `ids` that exist, by id, in batched reads (missing ids are simply absent). */
  async getMany(ids: string[]): Promise<Map<string, Person>> {
    const items = await batchGetAll(
      this.db,
      [...new Set(ids)].map((id) => keys.person(this.tenantId, id)),
    );
    return new Map(items.map((item) => toEntity(item, person)).map((p) => [p.id, p]));
  }

  async exists(id: string): Promise<boolean> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.person(this.tenantId, id),
        ProjectionExpression: 'PK',
      }),
    );
    return Item !== undefined;
  }

  /** Replaces the person as read at `previous.version`; moves the email seat when the email changed. */
  async update(
    previous: Person,
    next: Person,
    removed: string[],
    event: EventDraft,
    also: WriteOp[] = [],
  ): Promise<void> {
    const key = keys.person(this.tenantId, next.id);
    const ops: WriteOp[] = [
      ...also,
      {
        item: versionedUpdate(key, next, {
          expectedVersion: previous.version,
          removed,
          extra: {
            GSI1SK: `${next.updatedAt}#${next.id}`,
            _skills: skillIndex(next),
          },
        }),
        onConditionFailed: () =>
          new PreconditionFailedError(`Person ${next.id} changed since version ${previous.version}`),
      },
    ];
    if (normalizeEmail(previous.email) !== normalizeEmail(next.email)) {
      ops.push(
        { item: this.emailSeat(next), onConditionFailed: () => emailTaken(next.email) },
        {
          item: {
            Delete: { TableName: '', Key: keys.personEmail(this.tenantId, normalizeEmail(previous.email)) },
          },
        },
      );
    }
    // Ids that changed move their lookup item; unchanged ones keep it.
    const before = previous.externalIds ?? {};
    const after = next.externalIds ?? {};
    const moved = Object.keys(before).filter((system) => before[system] !== after[system]);
    ops.push(
      ...this.externalIdSeats(
        next,
        Object.keys(after).filter((system) => before[system] !== after[system]),
      ),
      ...moved.map((system) => ({
        item: {
          Delete: { TableName: '', Key: keys.personExternalId(this.tenantId, system, before[system]!) },
        },
      })),
    );
    await this.write(ops, event);
  }

  /**
   * The ops that replace a person with their erased form (`next`, pseudonyms in place of their
   * names) and delete their email and external id lookups, so no identity resolves to them again.
   */
  erasureOps(previous: Person, next: Person, removed: string[]): WriteOp[] {
    return [
      {
        item: versionedUpdate(keys.person(this.tenantId, next.id), next, {
          expectedVersion: previous.version,
          removed,
          extra: { GSI1SK: `${next.updatedAt}#${next.id}`, _skills: skillIndex(next) },
        }),
        onConditionFailed: () =>
          new PreconditionFailedError(`Person ${next.id} changed while being erased; repeat the erasure`),
      },
      {
        item: {
          Delete: { TableName: '', Key: keys.personEmail(this.tenantId, normalizeEmail(previous.email)) },
        },
      },
      ...Object.entries(previous.externalIds ?? {}).map(([system, value]) => ({
        item: { Delete: { TableName: '', Key: keys.personExternalId(this.tenantId, system, value) } },
      })),
    ];
  }

  async list(filter: PeopleFilter, page: PageRequest): Promise<Page<Person>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (filter.department !== undefined) {
      conditions.push('#department = :department');
      names['#department'] = 'department';
      values[':department'] = filter.department;
    }
    if (filter.status !== undefined) {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    if (filter.skill !== undefined) {
      conditions.push('contains(#skills, :skill)');
      names['#skills'] = '_skills';
      values[':skill'] = filter.skill.toLowerCase();
    }
    const filterPart = conditions.length
      ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
      : {};
    const binding = `${this.tenantId}|people|${JSON.stringify(filter)}`;

    // updated-since is the sync pattern of HR tools: walk the update-ordered index from that time.
    if (filter.updatedSince !== undefined) {
      return queryPage<Person>(
        this.db,
        {
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK > :since',
          ...filterPart,
          ExpressionAttributeValues: {
            ':pk': gsi1.peopleByUpdate(this.tenantId),
            ':since': filter.updatedSince,
            ...values,
          },
        },
        page,
        this.cursors,
        binding,
        person,
      );
    }
    return queryPage<Person>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...filterPart,
        ExpressionAttributeValues: {
          ':pk': keys.person(this.tenantId, '').PK,
          ':prefix': collections.people,
          ...values,
        },
      },
      page,
      this.cursors,
      binding,
      person,
    );
  }
}
