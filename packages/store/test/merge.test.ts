import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mergeSorted } from '../src/merge.ts';

/** A sorted list cut into pages of random sizes, empty pages included, as a paged query may return. */
const paged = fc
  .tuple(fc.array(fc.string({ maxLength: 4 }), { maxLength: 30 }), fc.array(fc.nat(4), { maxLength: 40 }))
  .map(([items, cuts]) => {
    const sorted = [...items].sort();
    const pages: string[][] = [];
    let at = 0;
    for (const size of cuts) {
      pages.push(sorted.slice(at, at + size));
      at += size;
    }
    pages.push(sorted.slice(at));
    return { sorted, pages };
  });

async function* source(pages: string[][]) {
  yield* pages;
}

describe('mergeSorted', () => {
  test('yields every item of sorted paged sources, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(paged, { maxLength: 8 }), async (sources) => {
        const merged: string[] = [];
        for await (const item of mergeSorted(
          sources.map((s) => source(s.pages)),
          (item) => item,
        ))
          merged.push(item);
        expect(merged).toEqual(sources.flatMap((s) => s.sorted).sort());
      }),
    );
  });
});
