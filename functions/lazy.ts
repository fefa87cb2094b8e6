/**
 * A value made on first use and shared by every later use. A failed attempt is forgotten, so the
 * next use tries again instead of failing for the life of the execution environment.
 */
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}
