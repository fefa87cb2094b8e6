import { describe, expect, test } from 'vitest';
import { lazy } from '../../functions/lazy.ts';

describe('lazy', () => {
  test('makes the value once, on first use, for every caller', async () => {
    let made = 0;
    const client = lazy(async () => ({ id: ++made }));
    expect(made).toBe(0);
    const [a, b] = await Promise.all([client(), client()]);
    expect(await client()).toBe(a);
    expect(b).toBe(a);
    expect(made).toBe(1);
  });

  test('tries again after a failure instead of keeping it', async () => {
    let attempts = 0;
    const client = lazy(async () => {
      attempts++;
      if (attempts === 1) throw new Error('network');
      return 'client';
    });
    await expect(client()).rejects.toThrow('network');
    expect(await client()).toBe('client');
    expect(attempts).toBe(2);
  });
});
