import type { RouterRoute } from 'hono/types';

/**
 * The methods the route table serves for a path, for the `Allow` header of a 405. Middleware
 * (`ALL`) does not count; HEAD comes with GET, as hono answers it from the GET route.
 */
export function allowedMethods(routes: readonly RouterRoute[]): (path: string) => string[] {
  const table = routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => ({
      method: route.method,
      pattern: new RegExp(`^${route.path.replace(/:[^/]+/g, '[^/]+')}/?$`),
    }));
  return (path) => {
    const methods = new Set(table.filter((route) => route.pattern.test(path)).map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
