import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.ts';
import { keys } from './keys.ts';

/**
 * One-off changes to data written by earlier versions of Tandem that the platform has finished,
 * by name: the scheduled job does a change over every tenant until it is recorded here, then reads
 * only this record.
 */
export class PlatformMigrations {
  constructor(private readonly db: Db) {}

  async done(name: string): Promise<boolean> {
    const { Item } = await this.db.doc.send(
      new GetCommand({ TableName: this.db.tableName, Key: keys.platformMigration(name) }),
    );
    return Item !== undefined;
  }

  /** Records the change as done (again, harmlessly, when two passes finish it). */
  async markDone(name: string, at: Date): Promise<void> {
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.tableName,
        Item: { ...keys.platformMigration(name), entity: 'platformMigration', doneAt: at.toISOString() },
      }),
    );
  }
}
