import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredEvent } from '@tandem/core';
import type { StreamCheckpoints } from './stream-checkpoints.ts';

/** GetRecords' own maximum: a burst is read in as few round trips as the stream allows. */
const BATCH = 1000;

/**
 * The local stand-in for the DynamoDB stream → relay Lambda trigger: reads DynamoDB Local's
 * stream and hands the new outbox events of each batch to `onEvents`. A shard is read until it has nothing
 * new, and its position is checkpointed once per batch, after the batch's events were
 * handled: a restart resumes where it stopped (an event may be handled twice, never skipped),
 * and a poll that finds nothing writes nothing.
 */
export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string>();
  private readonly finished = new Set<string>();

  constructor(
    private readonly dynamo: DynamoDBClient,
    endpoint: string,
    private readonly tableName: string,
    private readonly checkpoints: StreamCheckpoints,
    private readonly onEvents: (events: StoredEvent[]) => Promise<void>,
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  async pollOnce(): Promise<number> {
    const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) return 0;
    const { StreamDescription } = await this.streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    const shards = new Set((StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!));
    let handled = 0;
    for (const shardId of shards) {
      if (this.finished.has(shardId)) continue;
      handled += await this.readShard(streamArn, shardId, shards);
    }
    return handled;
  }

  private async readShard(streamArn: string, shardId: string, live: ReadonlySet<string>): Promise<number> {
    let handled = 0;
    for (;;) {
      const iterator = this.iterators.get(shardId) ?? (await this.openShard(streamArn, shardId));
      if (!iterator) return handled;
      let result: Awaited<ReturnType<typeof this.getRecords>>;
      try {
        result = await this.getRecords(iterator);
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          this.iterators.delete(shardId);
          return handled;
        }
        throw error;
      }
      const records = result.Records ?? [];
      // Events of one batch are independent (each fans out to its own deliveries), so they are
      // relayed together; the checkpoint waits for all of them.
      const events = records.flatMap((record) => {
        const image = record.dynamodb?.NewImage;
        return record.eventName === 'INSERT' && image?.entity?.S === 'event'
          ? [unmarshall(image as never) as StoredEvent]
          : [];
      });
      if (events.length) await this.onEvents(events);
      handled += events.length;
      const last = records.at(-1);
      if (last) await this.checkpoints.set(shardId, last.dynamodb!.SequenceNumber!, live);
      if (!result.NextShardIterator) {
        this.iterators.delete(shardId);
        this.finished.add(shardId);
        return handled;
      }
      this.iterators.set(shardId, result.NextShardIterator);
      if (records.length === 0) return handled;
    }
  }

  private async openShard(streamArn: string, shardId: string): Promise<string | undefined> {
    const after = this.checkpoints.get(shardId);
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  private getRecords(iterator: string) {
    return this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: BATCH }));
  }

  destroy() {
    this.streams.destroy();
  }
}
