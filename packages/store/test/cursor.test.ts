import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CursorCodec } from '../src/cursor.ts';

const codec = new CursorCodec('unit-test-cursor-secret');

describe('cursors', () => {
  test('round-trip any position under the same binding', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.string()), fc.string(), async (position, binding) => {
        expect(await codec.decode(await codec.encode(position, binding), binding)).toEqual(position);
      }),
    );
  });

  test('refuse another binding, another secret and any tampering', async () => {
    const cursor = await codec.encode({ PK: 'T#ten_a', SK: 'PERSON#per_1' }, 'ten_a|people|{}');
    await expect(codec.decode(cursor, 'ten_b|people|{}')).rejects.toThrow(/cursor/);
    await expect(
      new CursorCodec('another-secret-entirely').decode(cursor, 'ten_a|people|{}'),
    ).rejects.toThrow(/cursor/);
    // Flip any bit of the sealed bytes (editing the text could hit base64's unused padding bits).
    const sealed = Buffer.from(cursor, 'base64url');
    await fc.assert(
      fc.asyncProperty(fc.nat(sealed.length - 1), fc.integer({ min: 0, max: 7 }), async (at, bit) => {
        const tampered = Buffer.from(sealed);
        tampered[at]! ^= 1 << bit;
        await expect(codec.decode(tampered.toString('base64url'), 'ten_a|people|{}')).rejects.toThrow(
          /cursor/,
        );
      }),
    );
  });

  test('do not reveal the position they carry', async () => {
    const cursor = await codec.encode({ PK: 'T#ten_secret' }, 'b');
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('ten_secret');
  });

  test('a secret read on first use is read when a cursor is sealed or opened, not before', async () => {
    let reads = 0;
    const lazy = new CursorCodec(async () => {
      reads++;
      return ['previous-cursor-secret', 'unit-test-cursor-secret'];
    });
    expect(reads).toBe(0);
    const cursor = await lazy.encode({ PK: 'T#ten_a' }, 'b');
    expect(reads).toBe(1);
    // The first of the ring seals; any of it opens.
    await expect(codec.decode(cursor, 'b')).rejects.toThrow(/cursor/);
    expect(await new CursorCodec('previous-cursor-secret').decode(cursor, 'b')).toEqual({ PK: 'T#ten_a' });
    expect(await lazy.decode(await codec.encode({ PK: 'T#ten_b' }, 'b'), 'b')).toEqual({ PK: 'T#ten_b' });
  });

  test('secrets given as values are checked at once; a source read on first use, at that use', async () => {
    expect(() => new CursorCodec([])).toThrow(/no cursor secret/);
    expect(() => new CursorCodec('short')).toThrow(/16 characters/);
    const empty = new CursorCodec(async () => []);
    await expect(empty.encode({}, 'b')).rejects.toThrow(/no cursor secret/);
  });
});
