import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventDraft } from '@tandem/core';
import { type Key, keys, personPartition, relationshipPartition, tenantPartition } from './keys.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/**
 * One stored item as the privacy use cases see it: where it is (opaque to them), what it is
 * (`entity`), and its attributes without the key and index attributes. Internal attributes (`_payload`
 * of a delivery) are kept: an export shows them and an erasure must reach them.
 */
export interface StoredItem {
  key: Key;
  entity: string;
  value: Record<string, unknown>;
}

/** One page of a partition and where the next one starts (undefined: the partition is done). */
export interface ItemPage {
  items: StoredItem[];
  next?: string | undefined;
}

/**
 * The item collections that hold something about a person, by where they live. `person`: their
 * own partition (memberships, private notes, training, rematch pointers, calendar feed);
 * `relationship`: a relationship's workspace; `program`: a program's enrollments, posts and replies;
 * `events`, `audit`: the outbox and the audit log; `deliveries`: one webhook endpoint's log;
 * `proposals`: a match run's proposed pairs; `scim`: what the identity provider sent; `tenant`: the tenant's own collection by sort-key prefix;
 * `feed`: the recognition feed (copies of kudos); `hris`: an HRIS connection's employee records.
 */
export type Collection =
  | { in: 'person'; personId: string }
  | { in: 'relationship'; relationshipId: string }
  | { in: 'program'; programId: string; prefix: string }
  | { in: 'events' }
  | { in: 'audit' }
  | { in: 'deliveries'; endpointId: string }
  | { in: 'proposals'; runId: string }
  | { in: 'scim' }
  | { in: 'tenant'; prefix: string }
  | { in: 'feed' }
  | { in: 'hris'; connectionId: string };

/** Items per page: small enough that one page's rewrites fit in one transaction with room to spare. */
export const PRIVACY_PAGE_ITEMS = 40;

const LOCATION = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'entity']);

/**
 * Raw access to a tenant's items for the privacy use cases (export and erasure), which must reach
 * every collection that may hold a person's data without a repository per collection knowing about
 * privacy. Reads go page by page; writes are field-level updates and deletes of items read here.
 */
export class PrivacyRepository extends TenantRepository {
  private partition(collection: Collection): { pk: string; prefix?: string } {
    const t = tenantPartition(this.tenantId);
    switch (collection.in) {
      case 'person':
        return { pk: personPartition(this.tenantId, collection.personId) };
      case 'relationship':
        return { pk: relationshipPartition(this.tenantId, collection.relationshipId) };
      case 'program':
        // A program's partition: its enrollments, runs, posts and replies, by sort-key prefix.
        return { pk: keys.enrollment(this.tenantId, collection.programId, '').PK, prefix: collection.prefix };
      case 'events':
        return { pk: keys.event(this.tenantId, '').PK };
      case 'audit':
        return { pk: keys.auditEntry(this.tenantId, '').PK };
      case 'deliveries':
        return { pk: keys.delivery(this.tenantId, collection.endpointId, '').PK, prefix: 'DLV#' };
      case 'proposals':
        return { pk: keys.proposal(this.tenantId, collection.runId, '').PK, prefix: 'PRP#' };
      case 'scim':
        return { pk: keys.scimUser(this.tenantId, '').PK };
      case 'tenant':
        return { pk: t, prefix: collection.prefix };
      case 'feed':
        return { pk: keys.feedEntry(this.tenantId, '', '').PK };
      case 'hris':
        return { pk: keys.hrisEmployee(this.tenantId, collection.connectionId, '').PK, prefix: 'EMP#' };
    }
  }

  /** One page of a collection, from `cursor` (an opaque value from a previous page's `next`). */
  async page(collection: Collection, cursor?: string): Promise<ItemPage> {
    const { pk, prefix } = this.partition(collection);
    const { Items = [], LastEvaluatedKey } = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.tableName,
        KeyConditionExpression: prefix ? 'PK = :pk AND begins_with(SK, :prefix)' : 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
        Limit: PRIVACY_PAGE_ITEMS,
        ConsistentRead: true,
        ...(cursor ? { ExclusiveStartKey: JSON.parse(cursor) as Record<string, unknown> } : {}),
      }),
    );
    return {
      items: Items.map(stored),
      next: LastEvaluatedKey ? JSON.stringify(LastEvaluatedKey) : undefined,
    };
  }

  /** Every item of a collection, one page in memory at a time. */
  async *all(collection: Collection): AsyncGenerator<StoredItem> {
    let cursor: string | undefined;
    do {
      const page = await this.page(collection, cursor);
      yield* page.items;
      cursor = page.next;
    } while (cursor);
  }

  /** One item of the tenant's own collection (`T#<tenant>`), by its sort key. */
  async tenantItem(sortKey: string): Promise<StoredItem | undefined> {
    return this.getItem({ PK: tenantPartition(this.tenantId), SK: sortKey });
  }

  async getItem(key: Key): Promise<StoredItem | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: key, ConsistentRead: true }),
    );
    return Item ? stored(Item) : undefined;
  }

  /** Sets and removes attributes of an item read here, if it still exists. */
  rewriteOp(item: StoredItem, set: Record<string, unknown>, remove: string[] = []): WriteOp {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(set).map(([field, value], i) => {
      names[`#s${i}`] = field;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const removes = remove.map((field, i) => {
      names[`#r${i}`] = field;
      return `#r${i}`;
    });
    const clauses = [
      ...(sets.length ? [`SET ${sets.join(', ')}`] : []),
      ...(removes.length ? [`REMOVE ${removes.join(', ')}`] : []),
    ];
    return {
      item: {
        Update: {
          TableName: '',
          Key: item.key,
          UpdateExpression: clauses.join(' '),
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: names,
          ...(sets.length ? { ExpressionAttributeValues: values } : {}),
        },
      },
      // Gone meanwhile (deleted by its owner): nothing left to rewrite; the step reads the page again.
      onConditionFailed: () => new ItemVanishedError(),
    };
  }

  deleteOp(key: Key): WriteOp {
    return { item: { Delete: { TableName: '', Key: key } } };
  }

  /** The lookup item of a person's email or of one of their external ids. */
  emailSeatKey(normalizedEmail: string): Key {
    return keys.personEmail(this.tenantId, normalizedEmail);
  }

  externalIdSeatKey(system: string, value: string): Key {
    return keys.personExternalId(this.tenantId, system, value);
  }

  scimUserNameKey(lowerUserName: string): Key {
    return keys.scimUserName(this.tenantId, lowerUserName);
  }

  async erasure(personId: string): Promise<StoredItem | undefined> {
    return this.getItem(keys.erasure(this.tenantId, personId));
  }

  /**
   * Commits one step of an erasure: its rewrites and the erasure record's new progress, which must
   * still be at `expectedVersion` (undefined: not started), so two concurrent calls never both
   * advance it.
   */
  async commitErasureStep(
    personId: string,
    ops: WriteOp[],
    record: Record<string, unknown> & { version: number },
    expectedVersion: number | undefined,
    onLostRace: () => Error,
    event?: EventDraft,
  ): Promise<void> {
    await this.write(
      [
        ...ops,
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.erasure(this.tenantId, personId), entity: 'erasure', ...record },
              ...(expectedVersion === undefined
                ? { ConditionExpression: 'attribute_not_exists(PK)' }
                : {
                    ConditionExpression: '#version = :expected',
                    ExpressionAttributeNames: { '#version': 'version' },
                    ExpressionAttributeValues: { ':expected': expectedVersion },
                  }),
            },
          },
          onConditionFailed: onLostRace,
        },
      ],
      event,
    );
  }
}

/** An item an erasure step meant to rewrite was deleted meanwhile: the step is read and tried again. */
export class ItemVanishedError extends Error {
  constructor() {
    super('An item changed while it was being erased');
    this.name = 'ItemVanishedError';
  }
}

function stored(item: Record<string, unknown>): StoredItem {
  const value: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(item)) if (!LOCATION.has(name)) value[name] = attribute;
  return {
    key: { PK: String(item.PK), SK: String(item.SK) },
    entity: typeof item.entity === 'string' ? item.entity : String(item.SK).split('#')[0]!.toLowerCase(),
    value,
  };
}
