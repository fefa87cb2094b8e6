import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError, PreconditionFailedError, type PrivateNote, privateNote } from '@tandem/core';
import { toEntity } from './db.ts';
import { keys } from './keys.ts';
import { TenantRepository } from './repository.ts';
import { versionCondition } from './transact.ts';

/**
 * Private meeting notes, each in its author's own partition. They are written without a domain
 * event on purpose: an event would tell admins and webhook subscribers that a note exists.
 */
export class PrivateNotesRepository extends TenantRepository {
  async get(personId: string, meetingId: string): Promise<PrivateNote> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.privateNote(this.tenantId, personId, meetingId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`You have no private note on meeting ${meetingId}`);
    return toEntity(Item, privateNote);
  }

  /** Creates the note (`previousVersion` undefined) or replaces the one read at that version. */
  async put(personId: string, value: PrivateNote, previousVersion: number | undefined): Promise<void> {
    await this.write([
      {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.privateNote(this.tenantId, personId, value.meetingId),
              entity: 'privateNote',
              ...value,
            },
            ...versionCondition(previousVersion),
          },
        },
        onConditionFailed: () =>
          new PreconditionFailedError(`Your note on meeting ${value.meetingId} changed meanwhile`),
      },
    ]);
  }
}
