import { describe, expect, test } from 'vitest';
import { deferred } from '../src/deferred.ts';

class Counter {
  constructor(private count: number) {}
  async add(by: number): Promise<number> {
    this.count += by;
    return this.count;
  }
  /** Answers at once, like a repository's `…Op` builders. */
  next(): number {
    return this.count + 1;
  }
}

describe('deferred', () => {
  test('makes the object on the first call of a method, once for every caller, and calls it on that object', async () => {
    let made = 0;
    const counter = deferred(async () => {
      made++;
      return new Counter(10);
    });
    const { add } = counter;
    expect(made).toBe(0);
    expect(await Promise.all([add(1), counter.add(2)])).toEqual([11, 13]);
    // A method that answers at once answers a promise here, of the same object's state.
    const next = counter.next();
    expect(next).toBeInstanceOf(Promise);
    expect(await next).toBe(14);
    expect(made).toBe(1);
  });

  test('tries again after a failed load instead of keeping the failure', async () => {
    let attempts = 0;
    const counter = deferred(async () => {
      attempts++;
      if (attempts === 1) throw new Error('module not found');
      return new Counter(0);
    });
    await expect(counter.add(1)).rejects.toThrow('module not found');
    expect(await counter.add(1)).toBe(1);
    expect(attempts).toBe(2);
  });

  test('is no thenable: awaiting it or resolving a promise with it loads nothing', async () => {
    let made = 0;
    const counter = deferred(async () => {
      made++;
      return new Counter(0);
    });
    expect(await counter).toBe(counter);
    expect(await Promise.resolve(counter)).toBe(counter);
    expect(made).toBe(0);
  });

  test('a name that is no method of the object fails the call', async () => {
    const counter = deferred(async () => new Counter(0));
    await expect((counter as unknown as Record<string, () => Promise<unknown>>).count!()).rejects.toThrow(
      TypeError,
    );
  });
});
