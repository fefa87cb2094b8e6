/**
 * A process's short-lived cache: values kept until their expiry, at most `maxEntries` of them (the
 * oldest go first, which bounds memory under a flood of distinct keys).
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(id: string, nowMs: number): V | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt > nowMs) return entry.value;
    this.entries.delete(id);
    return undefined;
  }

  set(id: string, value: V, expiresAt: number): void {
    this.entries.delete(id);
    this.entries.set(id, { value, expiresAt });
    // A Map iterates in insertion order: the first entry is the one set longest ago.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  deleteWhere(evicted: (value: V) => boolean): void {
    for (const [id, { value }] of this.entries) if (evicted(value)) this.entries.delete(id);
  }
}
