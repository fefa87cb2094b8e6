import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB Local runs every data operation on one thread, first come first served, so an operation
 * of background work sent while an API request waits puts itself in front of the request's. In AWS
 * the workers share no database thread with the API. Locally, background work that takes this
 * priority into account sends an operation only when no operation of a request is outstanding,
 * and keeps few of its own in flight, so a request's operation waits behind at most those few.
 *
 * The count of the requests' outstanding operations lives in shared memory, so background work in
 * a worker thread (`DbPriority.sharedWith(priority.shared)`) steps aside for the API's requests too.
 */
export class DbPriority {
  private readonly foreground: Int32Array;
  private waiting: (() => void)[] = [];

  /**
   * @param maxYieldMs how long a background operation steps aside at most, so a stream of requests
   *   never starves the work they queue
   * @param shared the count of another DbPriority (`shared`), when this one runs in another thread
   */
  constructor(
    private readonly maxYieldMs = 10,
    readonly shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.foreground = new Int32Array(shared);
  }

  /** The priority of another thread's DbPriority, whose `shared` memory was passed here. */
  static sharedWith(shared: SharedArrayBuffer, maxYieldMs?: number): DbPriority {
    return new DbPriority(maxYieldMs, shared);
  }

  /** The client of the API: its operations are counted while outstanding. */
  foregroundOf(client: DynamoDBClient): DynamoDBClient {
    return this.around(client, 'dbPriorityForeground', async () => {
      Atomics.add(this.foreground, 0, 1);
      return () => {
        Atomics.sub(this.foreground, 0, 1);
        // Background work waiting in other threads checks again.
        Atomics.notify(this.foreground, 0);
      };
    });
  }

  /** A client of background work: each operation waits for its turn, `inFlight` sent at a time. */
  backgroundOf(client: DynamoDBClient, inFlight = 1): DynamoDBClient {
    const sent = { count: 0 };
    return this.around(client, 'dbPriorityBackground', async () => {
      await this.turn(sent, inFlight);
      return () => sent.count--;
    });
  }

  /** Runs `enter` before each operation of the client and what it returns after, then wakes the waiters. */
  private around(client: DynamoDBClient, name: string, enter: () => Promise<() => void>): DynamoDBClient {
    client.middlewareStack.add(
      (next) => async (args) => {
        const exit = await enter();
        try {
          return await next(args);
        } finally {
          exit();
          this.wakeAll();
        }
      },
      { step: 'finalizeRequest', name, priority: 'low' },
    );
    return client;
  }

  private async turn(sent: { count: number }, inFlight: number): Promise<void> {
    const deadline = Date.now() + this.maxYieldMs;
    for (;;) {
      if (sent.count >= inFlight) {
        // A full quota only ends when an operation of its own finishes.
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      const outstanding = Atomics.load(this.foreground, 0);
      const left = deadline - Date.now();
      if (outstanding === 0 || left <= 0) break;
      // Stepping aside ends when the count changes (a request's operation ended, here or in
      // another thread) or at the deadline, whichever comes first.
      await Atomics.waitAsync(this.foreground, 0, outstanding, left).value;
    }
    sent.count++;
  }

  /** Every waiter checks again: few wait at a time (as many operations as background work has ready). */
  private wakeAll() {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
