import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hashesMatch, hashSecret } from '../src/index.ts';

describe('secret hashes', () => {
  test('hashSecret is SHA-256 in lower-case hex', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (secret) => {
        expect(hashSecret(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
      }),
    );
  });

  test("hashesMatch: a secret's hash matches its stored hash in either case, and nothing else", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (secret, other) => {
        const stored = hashSecret(secret);
        expect(hashesMatch(hashSecret(secret), stored)).toBe(true);
        expect(hashesMatch(hashSecret(secret), stored.toUpperCase())).toBe(true);
        expect(hashesMatch(hashSecret(other), stored)).toBe(secret === other);
        // A prefix, or the hash with a character more, is not the hash.
        expect(hashesMatch(stored.slice(0, 63), stored)).toBe(false);
        expect(hashesMatch(`${stored}0`, stored)).toBe(false);
      }),
    );
    // One character changed anywhere is a mismatch.
    const stored = hashSecret('tdm_op_example');
    for (let i = 0; i < stored.length; i++) {
      const flipped = `${stored.slice(0, i)}${stored[i] === '0' ? '1' : '0'}${stored.slice(i + 1)}`;
      expect(hashesMatch(flipped, stored)).toBe(false);
    }
  });
});
