import { type Reaction, type RecognitionStarter, reactToEvents } from '@tandem/app';
import { CursorCodec, type CursorSecrets, type Db, noSecrets } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { runLoop } from './loop.ts';
import { StreamCheckpoints } from './stream-checkpoints.ts';
import { StreamPoller } from './stream-poller.ts';

export interface LocalReactionsOptions {
  dynamoEndpoint: string;
  db: Db;
  cursorSecret: CursorSecrets;
  /** Where this consumer's stream positions are kept across restarts (apart from the relay's). */
  checkpointFile?: string;
  pollIntervalMs?: number;
  /** The clock reactions stamp their writes with (tests inject one). */
  clock?: () => Date;
  /** The registered reactions by default. */
  reactions?: readonly Reaction[];
  /** Where reactions start recognition workflows (the local runner). */
  recognition: RecognitionStarter;
  onError: (error: unknown) => void;
}

/**
 * Reactions to domain events under `npm start`: a second reader of DynamoDB Local's stream,
 * playing the stream-triggered reactions Lambda, with positions of its own so that a slow or
 * failing reaction never holds back webhooks (and the other way round).
 */
export function createLocalReactions(options: LocalReactionsOptions) {
  const cursors = new CursorCodec(options.cursorSecret);
  const db = options.db;
  const clock = options.clock ?? (() => new Date());
  // One batch at a time (each with its own lanes): the poller reads ahead while a batch is handled,
  // and batches handled side by side would queue their writes in front of DynamoDB Local's one
  // writer thread, where the API's requests then wait behind them. In AWS the reactions Lambda
  // shares no database thread with the API; here it does, so it keeps to one batch at a time.
  let previous: Promise<unknown> = Promise.resolve();
  const oneAtATime = (handle: () => Promise<void>): Promise<void> => {
    const run = previous.then(handle);
    previous = run.catch(() => {});
    return run;
  };
  const poller = new StreamPoller(
    options.dynamoEndpoint,
    db.tableName,
    new StreamCheckpoints(options.checkpointFile),
    (events) => oneAtATime(() => react(events)),
  );
  function react(events: Parameters<typeof reactToEvents>[1]) {
    return reactToEvents(
      {
        contextFor: (tenantId) => ({
          tenantId,
          clock,
          store: tenantStore({ tenant: db, platform: db, sealer: noSecrets }, tenantId, cursors, clock),
          recognition: { starter: options.recognition },
        }),
        ...(options.reactions ? { reactions: options.reactions } : {}),
      },
      events,
    );
  }
  let loop: ReturnType<typeof runLoop> | undefined;
  return {
    start() {
      loop = runLoop(
        async () => {
          await poller.pollOnce();
        },
        { intervalMs: options.pollIntervalMs ?? 250, onError: options.onError },
      );
    },
    /**
     * Reads the stream until every event committed so far, and every event the reactions wrote
     * in turn, was reacted to. Only for a runtime that was not started (tests drive it this way).
     */
    async settle(): Promise<void> {
      while ((await poller.pollOnce()) > 0);
    },
    async stop() {
      await loop?.stop();
      poller.destroy();
    },
  };
}
