import { expect, test } from 'vitest';
import { timeZone } from '../src/index.ts';

const exists = (name: string) => timeZone.safeParse(name).success;

/** `count` spellings of the name that differ only in case (the check ignores case). */
function spellings(name: string, count: number): string[] {
  const letters = [...name].flatMap((char, at) => (char.toLowerCase() !== char.toUpperCase() ? [at] : []));
  return Array.from({ length: count }, (_, n) =>
    [...name]
      .map((char, at) => ((n >> letters.indexOf(at)) & 1 ? char.toUpperCase() : char.toLowerCase()))
      .join(''),
  );
}

test('a time zone is accepted when it exists and refused when not, however often names were checked before', () => {
  for (let round = 0; round < 3; round++) {
    expect(exists('Europe/Berlin')).toBe(true);
    expect(exists('Europe/Atlantis')).toBe(false);
  }
  // More existing names than the check keeps: every one still exists, and a made-up one still does not.
  const many = spellings('America/Argentina/Buenos_Aires', 2_500);
  expect(new Set(many).size).toBe(2_500);
  for (const name of many) expect(exists(name), name).toBe(true);
  expect(exists('America/Argentina/Atlantis')).toBe(false);
  expect(exists('Europe/Berlin')).toBe(true);
});
