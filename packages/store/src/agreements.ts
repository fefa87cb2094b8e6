import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AgreementTerms,
  type EventDraft,
  PreconditionFailedError,
  type StoredAgreement,
  storedAgreement,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { healthInputsChangedOp } from './health-inputs.ts';
import { collections, keys, relationshipPartition } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';
import { versionCondition } from './transact.ts';

/** A version as kept in the history: its terms, who wrote it, and who accepted it. */
export interface StoredAgreementVersion extends AgreementTerms {
  relationshipId: string;
  version: number;
  acceptances: Record<string, string>;
  createdAt: string;
  createdBy: string;
}

/**
 * A relationship's agreement: one head item with the current version and its acceptances, and
 * one item per version. Every write is conditional on the head as the use case read it, so edits
 * and acceptances of one relationship serialize on it, whatever runs concurrently.
 */
export class AgreementsRepository extends TenantRepository {
  async get(relationshipId: string): Promise<StoredAgreement | undefined> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.agreement(this.tenantId, relationshipId),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity(Item, storedAgreement) : undefined;
  }

  /**
   * Writes `next` as the new current version (no acceptances) and into the history, conditional
   * on the head still being at `previousVersion` (absent for the first draft).
   */
  async save(
    next: StoredAgreement,
    previousVersion: number | undefined,
    alsoWrite: WriteOp[],
    event: EventDraft,
  ): Promise<void> {
    const { relationshipId } = next;
    const history: StoredAgreementVersion = {
      ...termsFields(next),
      relationshipId,
      version: next.version,
      acceptances: {},
      createdAt: next.updatedAt,
      createdBy: next.updatedBy,
    };
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.agreement(this.tenantId, relationshipId), entity: 'agreement', ...next },
              ...versionCondition(previousVersion),
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(
              previousVersion === undefined
                ? `The agreement of relationship ${relationshipId} was drafted meanwhile`
                : `The agreement of relationship ${relationshipId} changed since version ${previousVersion}`,
            ),
        },
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.agreementVersion(this.tenantId, relationshipId, next.version),
                entity: 'agreementVersion',
                ...history,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        // The terms (cadence, duration) are health inputs; an acceptance changes none of them.
        healthInputsChangedOp(this.tenantId, relationshipId),
        ...alsoWrite,
      ],
      event,
    );
  }

  /**
   * Records one member's acceptance of the version `current` is at, conditional on the head
   * being exactly as read: the same version and the same number of acceptances. So of two
   * acceptances racing, one lands and the other is retried on the fresh state, and only the
   * acceptance that completes a version ever sees it complete (and joins what that implies).
   */
  async accept(
    current: StoredAgreement,
    personId: string,
    acceptedAt: string,
    alsoWrite: WriteOp[],
    events: EventDraft[],
  ): Promise<void> {
    const { relationshipId, version } = current;
    const names = { '#version': 'version', '#person': personId };
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.agreement(this.tenantId, relationshipId),
              UpdateExpression: 'SET acceptances.#person = :at',
              ConditionExpression:
                '#version = :version AND size(acceptances) = :seen AND attribute_not_exists(acceptances.#person)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ':at': acceptedAt,
                ':version': version,
                ':seen': Object.keys(current.acceptances).length,
              },
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(`The agreement of relationship ${relationshipId} changed meanwhile`),
        },
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.agreementVersion(this.tenantId, relationshipId, version),
              UpdateExpression: 'SET acceptances.#person = :at',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeNames: { '#person': personId },
              ExpressionAttributeValues: { ':at': acceptedAt },
            },
          },
        },
        ...alsoWrite,
      ],
      events,
    );
  }

  /** The versions, oldest first. */
  versions(relationshipId: string, page: PageRequest): Promise<Page<StoredAgreementVersion>> {
    return queryPage<StoredAgreementVersion>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': relationshipPartition(this.tenantId, relationshipId),
          ':prefix': collections.agreementVersions,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|agreementVersions|${relationshipId}`,
    );
  }
}

const termsFields = (stored: StoredAgreement): AgreementTerms => {
  const {
    relationshipId: _r,
    version: _v,
    acceptances: _a,
    createdAt: _c,
    updatedAt: _u,
    updatedBy: _b,
    ...terms
  } = stored;
  return terms;
};
