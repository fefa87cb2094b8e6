/**
 * `read` of each item, up to `width` reads in flight at once (a sliding window, so one slow read
 * does not idle the others), results in the order of the items: memory holds `width` results.
 */
export async function* inOrder<T, R>(items: AsyncIterable<T>, width: number, read: (item: T) => Promise<R>) {
  const window: Promise<R>[] = [];
  for await (const item of items) {
    const result = read(item);
    // Observed now, awaited in turn: a read that fails while an earlier one is awaited is not an
    // unhandled rejection, and still fails the export when its turn comes.
    result.catch(() => {});
    window.push(result);
    if (window.length >= width) yield await window.shift()!;
  }
  while (window.length) yield await window.shift()!;
}
