import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  type DataKeySource,
  LocalDataKeys,
  noSecrets,
  SealedSecretError,
  SecretSealer,
} from '../src/secret-sealer.ts';

/** A local master key that counts what it is asked. */
function countingKeys(master = randomBytes(32)) {
  const local = new LocalDataKeys(master);
  const counts = { generate: 0, unwrap: 0 };
  const keys: DataKeySource = {
    generate: () => {
      counts.generate++;
      return local.generate();
    },
    unwrap: (wrapped) => {
      counts.unwrap++;
      return local.unwrap(wrapped);
    },
  };
  return { keys, counts, master };
}

const CONTEXT = 'ten_a/webhook-endpoint/whe_1';

describe('SecretSealer', () => {
  test('a sealed value opens to what was sealed, in its context only, and shows nothing of it', async () => {
    const sealer = new SecretSealer(countingKeys().keys);
    const secret = 'whsec_c2VjcmV0LXZhbHVlLW9mLWFuLWVuZHBvaW50';
    const sealed = await sealer.seal(secret, CONTEXT);
    expect(SecretSealer.isSealed(sealed)).toBe(true);
    expect(SecretSealer.isSealed(secret)).toBe(false);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(await sealer.open(sealed, CONTEXT)).toBe(secret);
    // The same value sealed twice is two different texts (a fresh IV each time).
    expect(await sealer.seal(secret, CONTEXT)).not.toBe(sealed);
    // Copied onto another tenant's or another endpoint's item, it does not open.
    await expect(sealer.open(sealed, 'ten_b/webhook-endpoint/whe_1')).rejects.toThrow(SealedSecretError);
    await expect(sealer.open(sealed, 'ten_a/webhook-endpoint/whe_2')).rejects.toThrow(SealedSecretError);
  });

  test('an altered value, an altered data key and another master key are refused', async () => {
    const sealer = new SecretSealer(countingKeys().keys);
    const sealed = await sealer.seal('a secret', CONTEXT);
    const [prefix, wrapped, iv, data] = sealed.split('.') as [string, string, string, string];
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[bytes.length - 1]! ^= 1;
      return bytes.toString('base64url');
    };
    for (const altered of [
      [prefix, wrapped, iv, flip(data)],
      [prefix, wrapped, flip(iv), data],
      [prefix, flip(wrapped), iv, data],
    ])
      await expect(sealer.open(altered.join('.'), CONTEXT)).rejects.toThrow(SealedSecretError);
    expect(await sealer.open(sealed, CONTEXT)).toBe('a secret');
    await expect(new SecretSealer(countingKeys().keys).open(sealed, CONTEXT)).rejects.toThrow(
      SealedSecretError,
    );
    await expect(sealer.open('tdm1.not-a-sealed-value', CONTEXT)).rejects.toThrow(SealedSecretError);
  });

  test('another process with the master key opens it; JSON values round-trip', async () => {
    const { keys, master } = countingKeys();
    const sealed = await new SecretSealer(keys).sealJson({ token: 't', refreshToken: 'r' }, CONTEXT);
    expect(await new SecretSealer(new LocalDataKeys(master)).openJson(sealed, CONTEXT)).toEqual({
      token: 't',
      refreshToken: 'r',
    });
  });

  test('one data key serves a burst of seals, made once even when they arrive together, and is replaced after five minutes', async () => {
    let now = 0;
    const { keys, counts } = countingKeys();
    const sealer = new SecretSealer(keys, () => now);
    const sealed = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sealer.seal(`secret ${i}`, CONTEXT)),
    );
    expect(counts.generate).toBe(1);
    const dataKeyOf = (value: string) => value.split('.')[1];
    expect(new Set(sealed.map(dataKeyOf)).size).toBe(1);
    // Opening what this process sealed needs no unwrap: it knows the key it made.
    expect(await sealer.open(sealed[3]!, CONTEXT)).toBe('secret 3');
    expect(counts.unwrap).toBe(0);

    now += 5 * 60_000 + 1;
    const later = await sealer.seal('later', CONTEXT);
    expect(counts.generate).toBe(2);
    expect(dataKeyOf(later)).not.toBe(dataKeyOf(sealed[0]!));
  });

  test('a burst of opens unwraps each data key once', async () => {
    const { keys, master } = countingKeys();
    const sealed = await Promise.all(
      Array.from({ length: 10 }, (_, i) => new SecretSealer(keys).seal(`secret ${i}`, CONTEXT)),
    );
    const reader = countingKeys(master);
    const sealer = new SecretSealer(reader.keys);
    for (let round = 0; round < 3; round++)
      expect(await Promise.all(sealed.map((value) => sealer.open(value, CONTEXT)))).toEqual(
        sealed.map((_, i) => `secret ${i}`),
      );
    expect(reader.counts.unwrap).toBe(10);
  });

  test('a failed data key request fails the seal, and the next seal asks again', async () => {
    const { keys, counts } = countingKeys();
    let failing = true;
    const sealer = new SecretSealer({
      generate: () => (failing ? Promise.reject(new Error('KMS throttled')) : keys.generate()),
      unwrap: keys.unwrap,
    });
    await expect(sealer.seal('a secret', CONTEXT)).rejects.toThrow('KMS throttled');
    failing = false;
    expect(await sealer.open(await sealer.seal('a secret', CONTEXT), CONTEXT)).toBe('a secret');
    expect(counts.generate).toBe(1);
  });

  test('a process that keeps no secrets says so when asked for one', async () => {
    await expect(noSecrets.seal('a secret', CONTEXT)).rejects.toThrow('keeps no secrets');
    const sealed = await new SecretSealer(countingKeys().keys).seal('a secret', CONTEXT);
    await expect(noSecrets.open(sealed, CONTEXT)).rejects.toThrow(SealedSecretError);
  });
});
