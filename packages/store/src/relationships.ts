import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type DissolveReason,
  dissolveReasons,
  type EventDraft,
  NotFoundError,
  PreconditionFailedError,
  type Relationship,
  type RelationshipStatus,
  relationship as relationshipSchema,
} from '@tandem/core';
import { batchGetAll } from './batch.ts';
import { toEntity } from './db.ts';
import { collections, gsi1, keys, personPartition } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/** What bounds a member: a mentor's capacity, or (mentees, peers) one active relationship per program. */
export interface MemberLimit {
  personId: string;
  role: 'mentor' | 'mentee' | 'peer';
  capacity?: number | undefined;
}

export interface NewRelationship {
  value: Relationship;
  limits: MemberLimit[];
  event: EventDraft;
  alsoWrite?: WriteOp[];
}

/**
 * Items one relationship adds to a transaction: its members' seats, their membership entries,
 * itself, and what joins it.
 */
export const relationshipWriteCount = (entry: NewRelationship) =>
  entry.limits.length + entry.value.members.filter(heldByLoad).length + 1 + (entry.alsoWrite?.length ?? 0);

/** A mentor's place in a program is a load counter (one item for all their relationships), not a seat. */
const heldByLoad = (member: { role: MemberLimit['role'] }) => member.role === 'mentor';

/** How a relationship ends: completed, or dissolved with a reason; and by which member, if one did. */
export interface RelationshipEnding {
  to: 'completed' | 'dissolved';
  endReason?: DissolveReason | undefined;
  endDetail?: string | undefined;
  endedBy?: string | undefined;
}

/**
 * Relationships dissolved before reasons were a closed list kept the admin's words in `endReason`:
 * they read as `other`, with the words as the detail.
 */
function fromItem(item: Record<string, unknown>): Relationship {
  const reason = item.endReason;
  if (typeof reason === 'string' && !(dissolveReasons as readonly string[]).includes(reason))
    return toEntity({ ...item, endReason: 'other', endDetail: reason }, relationshipSchema);
  return toEntity(item, relationshipSchema);
}

export interface RelationshipFilter {
  programId?: string | undefined;
  personId?: string | undefined;
  status?: RelationshipStatus | undefined;
}

/**
 * Relationships of one tenant. Creating one takes every member's seat in the program in the
 * same transaction (a mentor's load counter under their capacity, everyone else's single seat),
 * so concurrent publishes and manual matches can never over-book anyone.
 */
export class RelationshipsRepository extends TenantRepository {
  private seatOps(
    programId: string,
    relationshipId: string,
    members: MemberLimit[],
    direction: 'take' | 'free',
  ): WriteOp[] {
    return members.map((member) => {
      if (heldByLoad(member))
        return direction === 'take'
          ? {
              item: {
                Update: {
                  TableName: '',
                  Key: keys.mentorLoad(this.tenantId, programId, member.personId),
                  UpdateExpression: 'ADD active :one',
                  ConditionExpression: 'attribute_not_exists(active) OR active < :capacity',
                  ExpressionAttributeValues: { ':one': 1, ':capacity': member.capacity ?? 1 },
                },
              },
              onConditionFailed: () =>
                new ConflictError(
                  `Mentor ${member.personId} is at capacity (${member.capacity ?? 1}) in this program`,
                  [{ field: '/personIds', message: `${member.personId} has no capacity left` }],
                ),
            }
          : {
              item: {
                Update: {
                  TableName: '',
                  Key: keys.mentorLoad(this.tenantId, programId, member.personId),
                  UpdateExpression: 'ADD active :minusOne',
                  ExpressionAttributeValues: { ':minusOne': -1 },
                },
              },
            };
      return direction === 'take'
        ? {
            item: {
              Put: {
                TableName: '',
                Item: {
                  ...keys.relationshipSeat(this.tenantId, programId, member.personId),
                  GSI1PK: gsi1.ongoingOfPerson(this.tenantId, member.personId),
                  GSI1SK: relationshipId,
                  relationshipId,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            onConditionFailed: () =>
              new ConflictError(`${member.personId} already has an active relationship in this program`, [
                { field: '/personIds', message: `${member.personId} is already matched` },
              ]),
          }
        : {
            item: {
              Delete: {
                TableName: '',
                Key: keys.relationshipSeat(this.tenantId, programId, member.personId),
              },
            },
          };
    });
  }

  /**
   * Entries in members' own partitions, so a person's relationships are one query (plus one of
   * their seats) whatever the size of the tenant. Immutable: status is read from the relationship.
   * `started`: the members whose place is a load counter; else the others, whose seats go.
   */
  private membershipOps(value: Relationship, when: 'started' | 'ended'): WriteOp[] {
    const members = value.members.filter((m) => heldByLoad(m) === (when === 'started'));
    return members.map((member) => ({
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.membership(this.tenantId, member.personId, value.id),
            entity: 'membership',
            relationshipId: value.id,
            programId: value.programId,
            role: member.role,
          },
        },
      },
    }));
  }

  /**
   * Several relationships in one transaction: all of them or none (the first failed condition's
   * error is thrown). Publishing batches proposals this way and retries a refused batch one by one.
   */
  async createMany(entries: NewRelationship[]): Promise<void> {
    await this.write(
      entries.flatMap(({ value, limits, alsoWrite = [] }) => [
        ...this.seatOps(value.programId, value.id, limits, 'take'),
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.relationship(this.tenantId, value.id), entity: 'relationship', ...value },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        ...this.membershipOps(value, 'started'),
        ...alsoWrite,
      ]),
      entries.map((entry) => entry.event),
    );
  }

  /** Which of the ids are relationships of the tenant (batched key reads). */
  async existing(ids: string[]): Promise<Set<string>> {
    const items = await batchGetAll(
      this.db,
      ids.map((id) => keys.relationship(this.tenantId, id)),
      true,
      'id',
    );
    return new Set(items.map((item) => item.id as string));
  }

  /** The relationships of those ids that exist, by id: one consistent batched read per hundred. */
  async getMany(ids: string[]): Promise<Map<string, Relationship>> {
    const items = await batchGetAll(
      this.db,
      ids.map((id) => keys.relationship(this.tenantId, id)),
      true,
    );
    return new Map(items.map((item) => [item.id as string, fromItem(item)]));
  }

  async get(id: string): Promise<Relationship> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.relationship(this.tenantId, id),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No relationship ${id}`);
    return fromItem(Item);
  }

  /** Ends an ongoing relationship and frees its members' seats, in one transaction. */
  async end(
    current: Relationship,
    ending: RelationshipEnding,
    limits: MemberLimit[],
    now: string,
    events: EventDraft | EventDraft[],
    alsoWrite: WriteOp[] = [],
  ): Promise<Relationship> {
    const { to, ...about } = ending;
    const recorded = Object.entries(about).filter(([, value]) => value !== undefined);
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.relationship(this.tenantId, current.id),
              UpdateExpression: `SET #status = :to, endedAt = :now, updatedAt = :now, #version = #version + :one${recorded.map(([field]) => `, ${field} = :${field}`).join('')}`,
              ConditionExpression: '#status IN (:active, :pending) AND #version = :expected',
              ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
              ExpressionAttributeValues: {
                ':to': to,
                ':now': now,
                ':one': 1,
                ':active': 'active',
                ':pending': 'pending_agreement',
                ':expected': current.version,
                ...Object.fromEntries(recorded.map(([field, value]) => [`:${field}`, value])),
              },
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(
              `Relationship ${current.id} changed since version ${current.version}`,
            ),
        },
        ...this.seatOps(current.programId, current.id, limits, 'free'),
        // The seats that indexed the relationship under its mentees and peers go: entries stay.
        ...this.membershipOps(current, 'ended'),
        // An ended relationship is no longer at risk: it leaves its program's at-risk list.
        {
          item: { Delete: { TableName: '', Key: keys.atRisk(this.tenantId, current.programId, current.id) } },
        },
        ...alsoWrite,
      ],
      events,
    );
    return {
      ...current,
      status: to,
      endedAt: now,
      updatedAt: now,
      version: current.version + 1,
      ...Object.fromEntries(recorded),
    };
  }

  /**
   * Joins a workspace write (agreement, goals, milestones) so that it never lands on a
   * relationship that ended meanwhile.
   */
  ongoingCheck(relationshipId: string): WriteOp {
    return {
      item: {
        ConditionCheck: {
          TableName: '',
          Key: keys.relationship(this.tenantId, relationshipId),
          ConditionExpression: '#status IN (:active, :pending)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active', ':pending': 'pending_agreement' },
        },
      },
      onConditionFailed: () =>
        new ConflictError(`Relationship ${relationshipId} has ended; its workspace is read-only`),
    };
  }

  /** pending_agreement → active, for the transaction of the acceptance that completed the agreement. */
  activateOp(current: Relationship, now: string): WriteOp {
    return {
      item: {
        Update: {
          TableName: '',
          Key: keys.relationship(this.tenantId, current.id),
          UpdateExpression:
            'SET #status = :active, activatedAt = :now, updatedAt = :now, #version = #version + :one',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: {
            ':active': 'active',
            ':pending': 'pending_agreement',
            ':now': now,
            ':one': 1,
          },
        },
      },
      onConditionFailed: () =>
        new PreconditionFailedError(`Relationship ${current.id} is no longer pending its agreement`),
    };
  }

  async list(filter: RelationshipFilter, page: PageRequest): Promise<Page<Relationship>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (filter.programId) {
      conditions.push('programId = :programId');
      values[':programId'] = filter.programId;
    }
    if (filter.status) {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    if (filter.personId) {
      conditions.push(
        '(contains(#members, :mentor) OR contains(#members, :mentee) OR contains(#members, :peer))',
      );
      names['#members'] = 'members';
      for (const role of ['mentor', 'mentee', 'peer'])
        values[`:${role}`] = { personId: filter.personId, role };
    }
    const found = await queryPage<Record<string, unknown>>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(conditions.length
          ? {
              FilterExpression: conditions.join(' AND '),
              ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
            }
          : {}),
        ExpressionAttributeValues: {
          ':pk': keys.relationship(this.tenantId, '').PK,
          ':prefix': collections.relationships,
          ...values,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|relationships|${JSON.stringify(filter)}`,
    );
    return { items: found.items.map(fromItem), nextCursor: found.nextCursor };
  }

  /**
   * The ids of every relationship a person is or was a member of, newest first: their entries, and
   * the ongoing ones their relationship seats index.
   */
  async idsOfPerson(personId: string): Promise<string[]> {
    const [entries, seats] = await Promise.all([
      queryAll(this.db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': personPartition(this.tenantId, personId),
          ':prefix': collections.memberships,
        },
      }),
      queryAll(this.db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': gsi1.ongoingOfPerson(this.tenantId, personId) },
      }),
    ]);
    // An entry written when a relationship ended may meet its seat until the index catches up.
    const ids = new Set([...entries, ...seats].map((item) => item.relationshipId as string));
    return [...ids].sort().reverse();
  }

  /** Every relationship a person is or was a member of, newest first. */
  async ofPerson(personId: string): Promise<Relationship[]> {
    const ids = await this.idsOfPerson(personId);
    const items = await batchGetAll(
      this.db,
      ids.map((id) => keys.relationship(this.tenantId, id)),
    );
    const byId = new Map(items.map((item) => [item.id as string, fromItem(item)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Everyone each person of the program was ever paired with (a run's excludePreviousPartners). */
  async partnersInProgram(programId: string): Promise<Map<string, Set<string>>> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: 'programId = :programId',
      ExpressionAttributeValues: {
        ':pk': keys.relationship(this.tenantId, '').PK,
        ':prefix': collections.relationships,
        ':programId': programId,
      },
    });
    return partnersIn(items as Pick<Relationship, 'members'>[]);
  }

  /**
   * Whom each of `personIds` was ever paired with in the program (a manual match's
   * excludePreviousPartners), read through each person's own relationships: what it costs
   * follows their histories, not the size of the program or the tenant.
   */
  async partnersOf(programId: string, personIds: string[]): Promise<Map<string, Set<string>>> {
    const histories = await Promise.all(personIds.map((personId) => this.ofPerson(personId)));
    return partnersIn(histories.flat().filter((relationship) => relationship.programId === programId));
  }
}

/** Each member of the relationships → everyone they shared one of them with. */
function partnersIn(relationships: Pick<Relationship, 'members'>[]): Map<string, Set<string>> {
  const partners = new Map<string, Set<string>>();
  for (const { members } of relationships) {
    const ids = members.map((m) => m.personId);
    for (const id of ids) {
      const set = partners.get(id) ?? new Set<string>();
      for (const other of ids) if (other !== id) set.add(other);
      partners.set(id, set);
    }
  }
  return partners;
}
