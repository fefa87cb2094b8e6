import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CursorCodec } from '../src/cursor.ts';

const codec = new CursorCodec('unit-test-cursor-secret');

describe('cursors', () => {
  test('round-trip any position under the same binding', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.string(), (position, binding) => {
        expect(codec.decode(codec.encode(position, binding), binding)).toEqual(position);
      }),
    );
  });

  test('refuse another binding, another secret and any tampering', () => {
    const cursor = codec.encode({ PK: 'T#ten_a', SK: 'PERSON#per_1' }, 'ten_a|people|{}');
    expect(() => codec.decode(cursor, 'ten_b|people|{}')).toThrow(/cursor/);
    expect(() => new CursorCodec('another-secret-entirely').decode(cursor, 'ten_a|people|{}')).toThrow(
      /cursor/,
    );
    // Flip any bit of the sealed bytes (editing the text could hit base64's unused padding bits).
    const sealed = Buffer.from(cursor, 'base64url');
    fc.assert(
      fc.property(fc.nat(sealed.length - 1), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const tampered = Buffer.from(sealed);
        tampered[at]! ^= 1 << bit;
        expect(() => codec.decode(tampered.toString('base64url'), 'ten_a|people|{}')).toThrow(/cursor/);
      }),
    );
  });

  test('do not reveal the position they carry', () => {
    const cursor = codec.encode({ PK: 'T#ten_secret' }, 'b');
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('ten_secret');
  });
});
