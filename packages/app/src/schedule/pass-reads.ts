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
}
