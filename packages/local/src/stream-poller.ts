import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredEvent } from '@tandem/core';
import { dynamoDbLocalSigner } from '@tandem/store';
import type { StreamCheckpoints } from './stream-checkpoints.ts';

/** GetRecords' own maximum: a burst is read in as few round trips as the stream allows. */
const BATCH = 1000;
/**
 * Events handed to `onEvents` and not yet handled, past which reading waits for them: enough to
 * keep the handler busy through a burst, bounded so that a stalled handler does not pull the
 * whole stream into memory.
 */
const MAX_EVENTS_IN_HAND = 1000;
/** How often a poller that waits for handlers looks for new records meanwhile. */
const POLL_WHILE_HANDLING_MS = 50;

interface InHand {
  events: number;
  /** Settles (never rejects) when the batch was handled or failed. */
  settled: Promise<void>;
}

/**
 * The local stand-in for the DynamoDB stream → relay Lambda trigger: reads DynamoDB Local's
 * stream and hands the new outbox events of each batch to `onEvents`. Reading goes on while
 * earlier batches are being handled, so one slow batch (a receiver that takes its time) does not
 * hold back the events behind it. A shard's position is checkpointed once per batch, in stream
 * order, once that batch and every batch before it were handled: a restart resumes where it
 * stopped (an event may be handled twice, never skipped), and a poll that finds nothing writes
 * nothing.
 */
export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string>();
  private readonly finished = new Set<string>();
  /**
   * The stream and shards last described. Described again only once every shard of it was read
   * to its end: DynamoDB writes to a child shard only after closing its parent, and turning a
   * stream off closes its shards, so a new shard or stream is never missed; an idle poll is then
   * one GetRecords per open shard, without a ListStreams and a DescribeStream.
   */
  private described: { streamArn: string; shards: Set<string> } | undefined;
  private readonly inHand = new Set<InHand>();
  private eventsInHand = 0;
  /** The last checkpoint write, chained after every batch handed over before it. */
  private checkpointed: Promise<void> = Promise.resolve();
  /** Set when a batch failed: nothing after it may be checkpointed until it is read again. */
  private failure: { error: unknown } | undefined;
  private destroyed = false;

  constructor(
    endpoint: string,
    private readonly tableName: string,
    private readonly checkpoints: StreamCheckpoints,
    private readonly onEvents: (events: StoredEvent[]) => Promise<void>,
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      signer: dynamoDbLocalSigner,
    });
    // As on the DynamoDB clients (store's createDynamoClient): the SDK's logger middleware walks a
    // redacted copy of every record read for the no-op logger, and nothing here logs SDK calls.
    this.streams.middlewareStack.remove('loggerMiddleware');
  }

  /**
   * Reads every shard until there is nothing new and everything read was handled and
   * checkpointed. Returns the number of events handed over; throws if handling any of them
   * failed, after which the next poll reads again from the last checkpoint.
   */
  async pollOnce(): Promise<number> {
    try {
      return await this.readStream();
    } catch (error) {
      // The table or its stream may have been replaced: look for it again on the next poll.
      this.described = undefined;
      throw error;
    }
  }

  private async readStream(): Promise<number> {
    const described = await this.describe();
    if (!described) return 0;
    const { streamArn, shards } = described;
    let handedOver = 0;
    for (;;) {
      let records = 0;
      for (const shardId of shards) {
        if (this.finished.has(shardId) || this.failure) continue;
        const read = await this.readShard(streamArn, shardId, shards);
        records += read.records;
        handedOver += read.events;
      }
      if (records > 0 && !this.failure) continue;
      const oldest = this.inHand.values().next().value;
      if (!oldest) break;
      await Promise.race([
        oldest.settled,
        new Promise((resolve) => setTimeout(resolve, POLL_WHILE_HANDLING_MS)),
      ]);
    }
    await this.checkpointed.catch(() => {});
    const failure = this.failure;
    if (failure) {
      // Read again from the last checkpoint: the failed batch and everything handed over after it.
      this.failure = undefined;
      this.checkpointed = Promise.resolve();
      this.iterators.clear();
      this.finished.clear();
      throw failure.error;
    }
    return handedOver;
  }

  private async describe(): Promise<{ streamArn: string; shards: Set<string> } | undefined> {
    const cached = this.described;
    if (cached && [...cached.shards].some((shardId) => !this.finished.has(shardId))) return cached;
    const streamArn = await this.latestStreamArn();
    if (!streamArn) return undefined;
    const { StreamDescription } = await this.streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    const shards = new Set((StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!));
    this.described = { streamArn, shards };
    return this.described;
  }

  /**
   * The table's newest stream (enabled, or the last one if it was turned off), from the stream
   * labels (creation times) that ListStreams lists. Not DescribeTable's `LatestStreamArn`: DynamoDB
   * Local answers every DescribeTable with the table's and each index's size, summed over every
   * item, so a poll of a large table cost a scan of it, and the two readers poll several times a
   * second.
   */
  private async latestStreamArn(): Promise<string | undefined> {
    let latest: { arn: string; label: string } | undefined;
    let after: string | undefined;
    do {
      const page = await this.streams.send(
        new ListStreamsCommand({ TableName: this.tableName, ExclusiveStartStreamArn: after }),
      );
      for (const { StreamArn: arn, StreamLabel: label } of page.Streams ?? [])
        if (arn && label && (!latest || label > latest.label)) latest = { arn, label };
      after = page.LastEvaluatedStreamArn;
    } while (after);
    return latest?.arn;
  }

  private async readShard(
    streamArn: string,
    shardId: string,
    live: ReadonlySet<string>,
  ): Promise<{ records: number; events: number }> {
    const read = { records: 0, events: 0 };
    while (!this.failure) {
      const iterator = this.iterators.get(shardId) ?? (await this.openShard(streamArn, shardId));
      if (!iterator) return read;
      let result: Awaited<ReturnType<typeof this.getRecords>>;
      try {
        result = await this.getRecords(iterator);
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          this.iterators.delete(shardId);
          return read;
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
      const last = records.at(-1);
      if (last) {
        const { handled } = events.length ? await this.handOver(events) : { handled: Promise.resolve() };
        this.checkpoint(handled, shardId, last.dynamodb!.SequenceNumber!, live);
      }
      read.records += records.length;
      read.events += events.length;
      if (!result.NextShardIterator) {
        this.iterators.delete(shardId);
        this.finished.add(shardId);
        return read;
      }
      this.iterators.set(shardId, result.NextShardIterator);
      if (records.length === 0) return read;
    }
    return read;
  }

  /** Starts handling a batch once there is room in hand for it; resolves when it started. */
  private async handOver(events: StoredEvent[]): Promise<{ handled: Promise<void> }> {
    for (const oldest of this.inHand) {
      if (this.eventsInHand + events.length <= MAX_EVENTS_IN_HAND) break;
      await oldest.settled;
    }
    const handled = this.onEvents(events);
    const entry: InHand = {
      events: events.length,
      settled: handled.then(
        () => {},
        () => {},
      ),
    };
    this.inHand.add(entry);
    this.eventsInHand += entry.events;
    void entry.settled.then(() => {
      this.inHand.delete(entry);
      this.eventsInHand -= entry.events;
    });
    return { handled };
  }

  private checkpoint(
    handled: Promise<void>,
    shardId: string,
    sequenceNumber: string,
    live: ReadonlySet<string>,
  ) {
    // A failure stops the reading at once; the chain still settles in order, so once the last
    // link has settled every position before the failure has been written.
    handled.catch((error: unknown) => {
      this.failure ??= { error };
    });
    const previous = this.checkpointed;
    this.checkpointed = (async () => {
      await previous;
      await handled;
      // A poller stopped meanwhile leaves the position as it was: the batch is read again.
      if (!this.destroyed) await this.checkpoints.set(shardId, sequenceNumber, live);
    })();
    this.checkpointed.catch((error: unknown) => {
      this.failure ??= { error };
    });
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
    this.destroyed = true;
    this.streams.destroy();
  }
}
