import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import * as core from '../src/index.ts';
import { personInput, plainTextPattern, programPatch, text } from '../src/index.ts';

const refused = /[\0\u202A-\u202E\u2066-\u2069]/;
/** The rule said plainly: well-formed UTF-16 without NUL or bidirectional controls. */
const isPlain = (value: string) => value.isWellFormed() && !refused.test(value);

const plain = fc.string({ unit: 'grapheme', maxLength: 40 }).filter(isPlain);
const bad = fc.oneof(
  fc.constant('\0'),
  fc.integer({ min: 0x202a, max: 0x202e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x2066, max: 0x2069 }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);

// Any UTF-16 code units, lone surrogates included, weighted towards the ones the rule is about.
const units = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.constantFrom(0, 0x202a, 0x202e, 0x2066, 0x2069, 0x2029, 0x206a),
    ),
    { maxLength: 20 },
  )
  .map((codes) => String.fromCharCode(...codes));

describe('plain text', () => {
  test('text fields accept any well-formed text without NUL or bidi controls', () => {
    fc.assert(
      fc.property(plain, (value) => {
        expect(text(500).safeParse(`a${value}`).success).toBe(true);
      }),
    );
  });

  test('one refused character anywhere makes the value invalid, with the field named', () => {
    fc.assert(
      fc.property(plain, bad, plain, (before, character, after) => {
        const name = `Dana${before}${character}${after}`;
        const result = personInput.safeParse({ name, email: 'dana@example.com' });
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((issue) => issue.path.join('/'))).toEqual(['name']);
        const nested = programPatch.safeParse({ objectives: ['Grow', `x${character}`] });
        expect(nested.error?.issues.map((issue) => issue.path.join('/'))).toEqual(['objectives/1']);
      }),
    );
  });

  test('the pattern means the same with and without the u flag, and matches the rule', () => {
    const unicode = new RegExp(plainTextPattern.source, 'u');
    fc.assert(
      fc.property(units, (value) => {
        expect(plainTextPattern.test(value)).toBe(isPlain(value));
        expect(unicode.test(value)).toBe(isPlain(value));
      }),
      { numRuns: 2000 },
    );
  });

  test('every string a request schema takes is constrained by a pattern, a format or an enum', () => {
    const requests = Object.entries(core).filter(
      ([name, value]) => value instanceof z.ZodType && /(Input|Patch|End)$/.test(name),
    ) as [string, z.ZodType][];
    expect(requests.length).toBeGreaterThan(10);
    const loose: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => {
          visit(child, `${path}/${i}`);
        });
      }
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Record<string, unknown>;
      const types = [schema.type].flat();
      if (types.includes('string') && !schema.pattern && !schema.format && !schema.enum && !schema.const)
        loose.push(path);
      for (const [key, child] of Object.entries(schema)) visit(child, `${path}/${key}`);
    };
    for (const [name, schema] of requests)
      visit(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), name);
    expect(loose).toEqual([]);
  });
});
