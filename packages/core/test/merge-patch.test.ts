import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  applyMergePatch,
  InvalidInputError,
  mergePatch,
  person,
  personPatch,
  program,
  programPatch,
} from '../src/index.ts';

const dana = person.parse({
  id: 'per_01jd5x3n7a8q9w0e1r2t3y4z5v',
  name: 'Dana',
  email: 'dana@example.com',
  department: 'Engineering',
  externalIds: { workday: 'E1234', greenhouse: 'G77' },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 1,
});

const mentoring = program.parse({
  id: 'prg_01jd5x3n7a8q9w0e1r2t3y4z5v',
  name: 'Peer mentoring',
  format: 'one_to_one',
  status: 'draft',
  activeEnrollments: 0,
  matching: { crossDepartmentOnly: true, weights: { skills: 0.8, goals: 0.1 }, maxExperienceGapYears: 10 },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 1,
});

/** RFC 7396 section 2's pseudo-code, transcribed line by line (it mutates its target). */
function reference(target: unknown, patch: unknown): unknown {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(patch)) {
    let t = target;
    if (!isObject(t)) t = {};
    const object = t as Record<string, unknown>;
    for (const [name, value] of Object.entries(patch)) {
      if (value === null) {
        if (Object.hasOwn(object, name)) delete object[name];
      } else {
        const current = Object.hasOwn(object, name) ? object[name] : undefined;
        Object.defineProperty(object, name, {
          value: reference(current, value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return object;
  }
  return patch;
}

describe('merge patch (RFC 7396)', () => {
  test('agrees with the RFC pseudo-code on any JSON target and patch, and changes neither', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    // Patches that overlap their target's keys, so merging (not only adding) is exercised.
    const keyed = fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__'), json, { maxKeys: 4 });
    const nested = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, json, fc.constant(null), tie('object')),
      object: fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__'), tie('value'), { maxKeys: 4 }),
    }));
    // Through JSON text, as a request body arrives (fast-check builds `__proto__` keys on null prototypes).
    const value = fc.oneof(json, keyed, nested.object).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(value, value, (target, patch) => {
        const before = JSON.stringify([target, patch]);
        const merged = mergePatch(target, patch);
        expect(merged).toStrictEqual(reference(structuredClone(target), patch));
        expect(JSON.stringify([target, patch])).toBe(before);
      }),
      { numRuns: 2000 },
    );
  });

  test('the examples of RFC 7396 appendix A', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [
        ['a', 'b'],
        ['c', 'd'],
        ['c', 'd'],
      ],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, result] of cases) expect(mergePatch(target, patch)).toStrictEqual(result);
  });
});

describe('merge patch schemas and results', () => {
  test('null clears optional fields; required fields and defaulted lists cannot be nulled', () => {
    expect(applyMergePatch(dana, { department: null }, person).department).toBeUndefined();
    expect(personPatch.safeParse({ name: null }).success).toBe(false);
    expect(personPatch.safeParse({ skillsOffered: null }).success).toBe(false);
    expect(personPatch.safeParse({ department: null, title: 'Lead' }).success).toBe(true);
    expect(personPatch.safeParse({ id: 'per_x' }).success).toBe(false);
  });

  test('nested objects are partial: members merge, null removes one, defaults are not filled in', () => {
    const patch = programPatch.parse({ matching: { autoPublish: true, weights: { goals: null } } });
    expect(patch).toEqual({ matching: { autoPublish: true, weights: { goals: null } } });
    const updated = applyMergePatch(mentoring, patch, program);
    expect(updated.matching).toEqual({
      ...mentoring.matching,
      autoPublish: true,
      weights: { skills: 0.8 },
    });
    expect(
      applyMergePatch(mentoring, programPatch.parse({ matching: { maxExperienceGapYears: null } }), program)
        .matching,
    ).not.toHaveProperty('maxExperienceGapYears');
  });

  test('nested required and defaulted members cannot be nulled, unknown nested members are refused', () => {
    expect(programPatch.safeParse({ matching: { crossDepartmentOnly: null } }).success).toBe(false);
    expect(programPatch.safeParse({ capacity: { circleSize: { target: null } } }).success).toBe(false);
    expect(programPatch.safeParse({ matching: { autoPublsh: true } }).success).toBe(false);
    expect(programPatch.safeParse({ matching: null }).success).toBe(false);
  });

  test('map entries merge: adding one keeps the others, null removes one', () => {
    const added = applyMergePatch(dana, personPatch.parse({ externalIds: { successFactors: 'S9' } }), person);
    expect(added.externalIds).toEqual({ workday: 'E1234', greenhouse: 'G77', successFactors: 'S9' });
    const removed = applyMergePatch(dana, personPatch.parse({ externalIds: { greenhouse: null } }), person);
    expect(removed.externalIds).toEqual({ workday: 'E1234' });
  });

  test('the merged result is validated as a whole', () => {
    expect(() => applyMergePatch(dana, { email: 'broken' }, person)).toThrow(InvalidInputError);
    try {
      applyMergePatch(dana, { email: 'broken' }, person);
    } catch (error) {
      expect((error as InvalidInputError).errors).toEqual([
        { field: '/email', message: 'Invalid email address' },
      ]);
    }
    // A partial circle size merges into nothing, so the full rule names what is missing.
    expect(() =>
      applyMergePatch(mentoring, programPatch.parse({ capacity: { circleSize: { target: 5 } } }), program),
    ).toThrow(InvalidInputError);
  });
});
