/** A tiny seeded PRNG (mulberry32): identical input and seed must give identical runs. */
export type Rng = () => number;

export function seedToInt(seed: number | string | undefined): number {
  if (seed === undefined) return 0x9e3779b9;
  if (typeof seed === 'number') return Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
  // FNV-1a, so string seeds such as run ids spread over the whole 32-bit space.
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rng: Rng, bound: number): number {
  return Math.floor(rng() * bound);
}

export function shuffleInPlace<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
