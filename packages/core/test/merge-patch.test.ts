import { describe, expect, test } from 'vitest';
import { applyMergePatch, InvalidInputError, person, personPatch } from '../src/index.ts';

const dana = person.parse({
  id: 'per_01jd5x3n7a8q9w0e1r2t3y4z5v',
  name: 'Dana',
  email: 'dana@example.com',
  department: 'Engineering',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 1,
});

describe('merge patch', () => {
  test('null clears optional fields; required fields and defaulted lists cannot be nulled', () => {
    expect(applyMergePatch(dana, { department: null }, person).department).toBeUndefined();
    expect(personPatch.safeParse({ name: null }).success).toBe(false);
    expect(personPatch.safeParse({ skillsOffered: null }).success).toBe(false);
    expect(personPatch.safeParse({ department: null, title: 'Lead' }).success).toBe(true);
    expect(personPatch.safeParse({ id: 'per_x' }).success).toBe(false);
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
  });
});
