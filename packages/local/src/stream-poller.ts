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
import type { StreamCheckpoints } from '@tandem/store';

/**
 * The local stand-in for the DynamoDB stream → relay Lambda trigger: reads DynamoDB Local's
 * stream and hands each new outbox event to `onEvent`. The position is checkpointed in the
 * table only after an event was handled, so a restart resumes where it stopped (an event may
 * be handled twice, never skipped).
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
    private readonly onEvent: (event: StoredEvent) => Promise<void>,
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
    let handled = 0;
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (this.finished.has(shardId)) continue;
      handled += await this.readShard(streamArn, shardId);
    }
    return handled;
  }

  private async readShard(streamArn: string, shardId: string): Promise<number> {
    let iterator = this.iterators.get(shardId);
    if (!iterator) {
      const after = await this.checkpoints.get(shardId);
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      if (!ShardIterator) return 0;
      iterator = ShardIterator;
    }
    let result: Awaited<ReturnType<typeof this.getRecords>>;
    try {
      result = await this.getRecords(iterator);
    } catch (error) {
      if (error instanceof ExpiredIteratorException) {
        this.iterators.delete(shardId);
        return 0;
      }
      throw error;
    }
    let handled = 0;
    for (const record of result.Records ?? []) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName === 'INSERT' && image?.entity?.S === 'event') {
        await this.onEvent(unmarshall(image as never) as StoredEvent);
        handled++;
      }
      await this.checkpoints.set(shardId, record.dynamodb!.SequenceNumber!);
    }
    if (result.NextShardIterator) this.iterators.set(shardId, result.NextShardIterator);
    else {
      this.iterators.delete(shardId);
      this.finished.add(shardId);
    }
    return handled;
  }

  private getRecords(iterator: string) {
    return this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
  }

  destroy() {
    this.streams.destroy();
  }
}
