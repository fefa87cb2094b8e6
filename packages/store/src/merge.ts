/**
 * Merges sources that are each sorted by `key` (as pages of items) into one sorted sequence.
 * Each source is drawn only when its current page is used up, so memory holds one page per source
 * (plus whatever the source reads ahead).
 */
export async function* mergeSorted<T>(
  sources: AsyncIterable<T[]>[],
  key: (item: T) => string,
): AsyncGenerator<T> {
  const heads = await Promise.all(
    sources.map(async (source) => {
      const pages = source[Symbol.asyncIterator]();
      const head = { pages, page: [] as T[], at: 0 };
      await refill(head);
      return head;
    }),
  );
  let live = heads.filter((head) => head.page.length > 0);
  while (live.length) {
    let next = live[0]!;
    for (const head of live) if (key(head.page[head.at]!) < key(next.page[next.at]!)) next = head;
    yield next.page[next.at++]!;
    if (next.at === next.page.length) {
      await refill(next);
      if (next.page.length === 0) live = live.filter((head) => head !== next);
    }
  }
}

/** The source's next page that has items; an empty page once the source is done. */
async function refill<T>(head: { pages: AsyncIterator<T[]>; page: T[]; at: number }) {
  head.at = 0;
  for (;;) {
    const result = await head.pages.next();
    head.page = result.done ? [] : result.value;
    if (result.done || head.page.length > 0) return;
  }
}
