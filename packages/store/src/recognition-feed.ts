import { type FeedAudience, type FeedEntry, feedEntry as feedEntrySchema } from '@tandem/core';
import { keys } from './keys.ts';
import { type Page, type PageRequest, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import type { WriteOp } from './transact.ts';

/** Who reads the feed: an admin (everything) or a participant with the programs they take part in. */
export type FeedViewer = { kind: 'admin' } | { kind: 'participant'; personId: string; programIds: string[] };

/**
 * DynamoDB caps an IN list at 100 operands; nobody takes part in that many programs at once, and a
 * participant beyond it still sees organization-wide entries and their own.
 */
const MAX_PROGRAMS_IN_FILTER = 99;

/**
 * The recognition feed: one partition per tenant, entries of every kind sorted by time. Each item
 * carries its audience (`_visibility`, `_programId`, `_audience`) beside the entry, so a
 * participant's page is one query whose filter applies the visibility rule.
 */
export class RecognitionFeedRepository extends TenantRepository {
  /** The write that adds an entry, for the transaction of whatever the entry reports. */
  entryOp(entryId: string, entry: FeedEntry, audience: FeedAudience): WriteOp {
    return {
      item: {
        Put: {
          TableName: '',
          Item: {
            ...keys.feedEntry(this.tenantId, entry.occurredAt, entryId),
            entity: 'feedEntry',
            ...entry,
            _visibility: audience.visibility,
            ...(audience.programId ? { _programId: audience.programId } : {}),
            _audience: audience.personIds,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    };
  }

  removeOp(entryId: string, occurredAt: string): WriteOp {
    return { item: { Delete: { TableName: '', Key: keys.feedEntry(this.tenantId, occurredAt, entryId) } } };
  }

  /** Newest first; a participant's page holds only the entries they may see. */
  list(viewer: FeedViewer, page: PageRequest): Promise<Page<FeedEntry>> {
    const pk = keys.feedEntry(this.tenantId, '', '').PK;
    if (viewer.kind === 'admin')
      return queryPage(
        this.db,
        {
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: false,
        },
        page,
        this.cursors,
        `${this.tenantId}|feed|admin`,
        feedEntrySchema,
      );
    const programs = viewer.programIds.slice(0, MAX_PROGRAMS_IN_FILTER);
    const values: Record<string, unknown> = {
      ':pk': pk,
      ':organization': 'organization',
      ':me': viewer.personId,
    };
    if (programs.length) values[':program'] = 'program';
    programs.forEach((id, i) => {
      values[`:p${i}`] = id;
    });
    const inProgram = programs.length
      ? ` OR (#visibility = :program AND #programId IN (${programs.map((_, i) => `:p${i}`).join(', ')}))`
      : '';
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: `#visibility = :organization OR contains(#audience, :me)${inProgram}`,
        ExpressionAttributeNames: {
          '#visibility': '_visibility',
          '#audience': '_audience',
          ...(programs.length ? { '#programId': '_programId' } : {}),
        },
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      },
      page,
      this.cursors,
      // Bound to the reader, not their programs: an enrollment made between pages keeps the cursor valid.
      `${this.tenantId}|feed|${viewer.personId}`,
      feedEntrySchema,
    );
  }
}
