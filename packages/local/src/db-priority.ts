import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB Local runs every data operation on one thread, first come first served, so an operation
 * of background work sent while an API request waits puts itself in front of the request's. In AWS
 * the workers share no database thread with the API. Locally, background work that takes this
 * priority into account sends an operation only when no operation of a request is outstanding,
 * and keeps few of its own in flight, so a request's operation waits behind at most those few.
 */
export class DbPriority {
  private foreground = 0;
  private waiting: (() => void)[] = [];

  /**
   * @param maxYieldMs how long a background operation steps aside at most, so a stream of requests
   *   never starves the work they queue
   */
  constructor(private readonly maxYieldMs = 10) {}

  /** The client of the API: its operations are counted while outstanding. */
  foregroundOf(client: DynamoDBClient): DynamoDBClient {
    return this.around(client, 'dbPriorityForeground', async () => {
      this.foreground++;
      return () => this.foreground--;
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
      const yielding = this.foreground > 0 && Date.now() < deadline;
      if (sent.count < inFlight && !yielding) break;
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        // Stepping aside ends at the deadline even if no request finishes meanwhile; a full
        // quota only ends when an operation of its own finishes.
        if (yielding) setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
    }
    sent.count++;
  }

  /** Every waiter checks again: few wait at a time (as many operations as background work has ready). */
  private wakeAll() {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
