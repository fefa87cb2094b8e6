import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DbPriorityOptions {
  /**
   * How long a background operation steps aside at most while a request's operation is
   * outstanding, so a stream of requests never starves the work they queue.
   */
  maxYieldMs?: number;
  /**
   * How long after a request's last operation the API counts as busy. While busy, all background
   * work together sends one operation at a time, so a request's operation waits behind at most one.
   */
  busyMs?: number;
}

/**
 * DynamoDB Local runs every data operation on one thread, first come first served, so an operation
 * of background work sent while an API request waits puts itself in front of the request's. In AWS
 * the workers share no database thread with the API. Locally, background work that takes this
 * priority into account sends an operation only when no operation of a request is outstanding,
 * and keeps few of its own in flight, so a request's operation waits behind at most those few.
 * While requests keep arriving (a burst of webhook deliveries), background work as a whole goes one
 * operation at a time; it never stops, so the burst cannot starve it.
 */
export class DbPriority {
  private foreground = 0;
  private lastForegroundAt = Number.NEGATIVE_INFINITY;
  private background = 0;
  private waiting: (() => void)[] = [];
  private readonly maxYieldMs: number;
  private readonly busyMs: number;

  constructor(options: DbPriorityOptions = {}) {
    this.maxYieldMs = options.maxYieldMs ?? 10;
    this.busyMs = options.busyMs ?? 100;
  }

  /** The client of the API: its operations are counted while outstanding. */
  foregroundOf(client: DynamoDBClient): DynamoDBClient {
    return this.around(client, 'dbPriorityForeground', async () => {
      this.foreground++;
      return () => {
        this.foreground--;
        this.lastForegroundAt = Date.now();
      };
    });
  }

  /**
   * A client of background work: each operation waits for its turn, at most `inFlight` of the
   * client's at a time, and one of all background clients' while the API is busy.
   */
  backgroundOf(client: DynamoDBClient, inFlight = 1): DynamoDBClient {
    const sent = { count: 0 };
    return this.around(client, 'dbPriorityBackground', async () => {
      await this.turn(sent, inFlight);
      return () => {
        sent.count--;
        this.background--;
      };
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

  private busy(now: number): boolean {
    return this.foreground > 0 || now - this.lastForegroundAt < this.busyMs;
  }

  private async turn(sent: { count: number }, inFlight: number): Promise<void> {
    const deadline = Date.now() + this.maxYieldMs;
    for (;;) {
      const now = Date.now();
      const yielding = this.foreground > 0 && now < deadline;
      const quota = sent.count < inFlight && (this.background === 0 || !this.busy(now));
      if (quota && !yielding) break;
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        // Stepping aside ends at the deadline even if no request finishes meanwhile; a full
        // quota only ends when a background operation finishes.
        if (yielding) setTimeout(resolve, deadline - now);
      });
    }
    sent.count++;
    this.background++;
  }

  /** Every waiter checks again: few wait at a time (as many operations as background work has ready). */
  private wakeAll() {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
