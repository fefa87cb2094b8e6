import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';

/**
 * Where the local stream poller stopped reading each shard, so a restart resumes and never
 * skips. Kept in a file of the data folder rather than in the table: a checkpoint written to
 * the table is itself a stream record, which the poller would read and checkpoint again,
 * forever. Without a file (an in-memory runtime) the positions live as long as the process,
 * like the data they point into.
 */
export class StreamCheckpoints {
  private readonly positions: Map<string, string>;

  constructor(private readonly file?: string) {
    this.positions = new Map(
      file && existsSync(file)
        ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
        : [],
    );
  }

  get(shardId: string): string | undefined {
    return this.positions.get(shardId);
  }

  /** Records a shard's position, forgetting shards the stream no longer lists. */
  async set(shardId: string, sequenceNumber: string, liveShards: ReadonlySet<string>): Promise<void> {
    this.positions.set(shardId, sequenceNumber);
    for (const known of this.positions.keys()) if (!liveShards.has(known)) this.positions.delete(known);
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(Object.fromEntries(this.positions), null, 2)}\n`);
  }
}
