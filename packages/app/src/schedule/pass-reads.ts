/**
 * Reads that the handlers of one pass of the scheduled job share, per tenant: each key is read
 * once per pass, so ten thousand evaluations of one program read the program once. What is shared
 * is as the pass found it; a change made while the pass runs is seen by the next pass.
 */
export class PassReads {
  readonly #reads = new Map<string, Promise<unknown>>();

  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const shared = this.#reads.get(key) as Promise<T> | undefined;
    if (shared) return shared;
    const pending = read();
    this.#reads.set(key, pending);
    // A failed read is not shared: the next handler that needs it reads again.
    pending.catch(() => this.#reads.delete(key));
    return pending;
  }

  readonly #ahead = new Map<string, Promise<unknown>>();

  /**
   * Starts one read of many keys ahead of the handlers that need them one by one (a batched read
   * of a page of timers' subjects): each key's result is taken once, by `take`.
   */
  ahead<T>(keys: string[], read: () => Promise<Map<string, T>>): void {
    const all = read();
    for (const key of keys) {
      const one = all.then((found) => found.get(key));
      // Observed now: a failed read surfaces only to the handler that takes it (and reads alone).
      one.catch(() => {});
      this.#ahead.set(key, one);
    }
  }

  /** The result `ahead` read for the key (undefined in it: not found), once; undefined if none was. */
  take<T>(key: string): Promise<T | undefined> | undefined {
    const ahead = this.#ahead.get(key) as Promise<T | undefined> | undefined;
    this.#ahead.delete(key);
    return ahead;
  }
}
