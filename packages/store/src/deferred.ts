/**
 * An object whose module loads on its first call: each of its methods, awaited. A method that
 * answers at once (a repository's `…Op` builders) answers a promise here too.
 */
export type Deferred<T> = {
  [K in keyof T as T[K] extends (...args: never) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * Stands in for what `load` makes, which it makes on the first call of any method and keeps. A
 * tenant's store has a repository for every kind of item, and each repository's module builds the
 * zod schemas it reads items with: a request that touches programs should not build those of
 * surveys, health and recognition. A failed load is forgotten, so the next call tries again.
 */
export function deferred<T extends object>(load: () => Promise<T>): Deferred<T> {
  let made: Promise<T> | undefined;
  const target = () =>
    (made ??= load().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as Deferred<T>, {
    get(assigned, name) {
      // A method assigned to the stand-in (a test counting calls) replaces the loaded one.
      if (Object.hasOwn(assigned, name)) return Reflect.get(assigned, name);
      // Not a thenable: `await` or a promise resolved with the stand-in must not call into it.
      if (typeof name !== 'string' || name === 'then') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = async (...args) => {
          const made = (await target()) as Record<string, (...args: unknown[]) => unknown>;
          const called = made[name];
          if (typeof called !== 'function') throw new TypeError(`${name} is not a method`);
          return called.apply(made, args);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
}
