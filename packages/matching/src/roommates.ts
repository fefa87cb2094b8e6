/**
 * Irving's stable roommates algorithm for incomplete lists. Acceptability is made mutual first.
 * Phase 1 (proposals) leaves a table in which x's first choice holds x as its last; phase 2
 * eliminates rotations until every list has at most one entry, or some list empties, which proves
 * that no stable matching exists.
 */
export type RoommatesResult = { stable: true; mate: Int32Array } | { stable: false };

export function stableRoommates(preferences: readonly Int32Array[]): RoommatesResult {
  const n = preferences.length;
  const rank = preferences.map((prefs) => {
    const map = new Map<number, number>();
    prefs.forEach((p, r) => {
      if (!map.has(p)) map.set(p, r);
    });
    return map;
  });
  const lists = preferences.map((prefs, x) =>
    Int32Array.from(prefs.filter((y, r) => rank[x]!.get(y) === r && y !== x && rank[y]?.has(x))),
  );
  const listRank = lists.map((list) => new Map<number, number>(Array.from(list, (y, r) => [y, r])));
  const removed = lists.map((list) => new Uint8Array(list.length));
  const size = Int32Array.from(lists, (list) => list.length);
  const head = new Int32Array(n);
  const tail = Int32Array.from(lists, (list) => list.length - 1);

  const remove = (x: number, y: number) => {
    const rx = listRank[x]!.get(y)!;
    if (removed[x]![rx]) return;
    removed[x]![rx] = 1;
    size[x]!--;
    const ry = listRank[y]!.get(x)!;
    removed[y]![ry] = 1;
    size[y]!--;
  };
  const first = (x: number): number => {
    while (head[x]! < lists[x]!.length && removed[x]![head[x]!]) head[x]!++;
    return head[x]! < lists[x]!.length ? lists[x]![head[x]!]! : -1;
  };
  const last = (x: number): number => {
    while (tail[x]! >= 0 && removed[x]![tail[x]!]) tail[x]!--;
    return tail[x]! >= 0 ? lists[x]![tail[x]!]! : -1;
  };
  const second = (x: number): number => {
    first(x);
    for (let r = head[x]! + 1; r < lists[x]!.length; r++) if (!removed[x]![r]) return lists[x]![r]!;
    return -1;
  };
  /** y keeps x and drops everyone it ranks below x. */
  const truncateAfter = (y: number, x: number) => {
    const rx = listRank[y]!.get(x)!;
    for (let r = lists[y]!.length - 1; r > rx; r--) if (!removed[y]![r]) remove(y, lists[y]![r]!);
  };

  const holder = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (let x = 0; x < n; x++) queue.push(x);
  while (queue.length > 0) {
    const x = queue.pop()!;
    const y = first(x);
    if (y < 0) continue;
    const previous = holder[y]!;
    holder[y] = x;
    truncateAfter(y, x);
    if (previous >= 0 && previous !== x) queue.push(previous);
  }

  const inTable = Uint8Array.from(size, (count) => (count > 0 ? 1 : 0));
  for (;;) {
    let start = -1;
    for (let x = 0; x < n; x++)
      if (size[x]! >= 2) {
        start = x;
        break;
      }
    if (start < 0) break;
    const position = new Map<number, number>();
    const xs: number[] = [];
    let x = start;
    while (!position.has(x)) {
      position.set(x, xs.length);
      xs.push(x);
      x = last(second(x));
    }
    const cycle = xs.slice(position.get(x)!);
    const seconds = cycle.map(second);
    cycle.forEach((xi, t) => {
      truncateAfter(seconds[t]!, xi);
    });
    for (let y = 0; y < n; y++) if (size[y] === 0 && inTable[y] === 1) return { stable: false };
  }

  const mate = new Int32Array(n).fill(-1);
  for (let p = 0; p < n; p++) if (size[p] === 1) mate[p] = first(p);
  return { stable: true, mate };
}
