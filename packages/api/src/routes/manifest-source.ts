import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { type RouteGroup, routeGroups } from './groups.ts';

/** One route as the app registers it: its group, method, hono pattern (`:param`) and operationId. */
export type RouteEntry = readonly [group: RouteGroup, method: string, path: string, operationId: string];

/** Every route of every group, in registration order, read by registering each group on an app of its own. */
export async function routesOfGroups(): Promise<RouteEntry[]> {
  const entries: RouteEntry[] = [];
  for (const [group, load] of Object.entries(routeGroups) as [
    RouteGroup,
    () => ReturnType<(typeof routeGroups)[RouteGroup]>,
  ][]) {
    const app = new OpenAPIHono<AppEnv>();
    (await load())(app);
    const operationIds = new Map(
      app.openAPIRegistry.definitions.flatMap((definition) =>
        definition.type === 'route'
          ? [
              [
                `${definition.route.method.toUpperCase()} ${definition.route.path}`,
                definition.route.operationId,
              ],
            ]
          : [],
      ),
    );
    const seen = new Set<string>();
    for (const { method, path } of app.routes) {
      const key = `${method} ${path}`;
      if (method === 'ALL' || seen.has(key)) continue;
      seen.add(key);
      const operationId = operationIds.get(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
      if (!operationId) throw new Error(`${key} of route group ${group} has no operationId`);
      entries.push([group, method, path, operationId]);
    }
  }
  return entries;
}

/** The text of manifest.ts for the routes the groups declare now. */
export async function routeManifestSource(): Promise<string> {
  const rows = (await routesOfGroups()).map((entry) => `  [${entry.map((part) => `'${part}'`).join(', ')}],`);
  return `import type { RouteEntry } from './manifest-source.ts';

// Written by \`tsx packages/api/scripts/route-manifest.ts\` from the route groups (groups.ts); do not edit.
// packages/api/test/route-manifest.test.ts fails when a group's routes and this list disagree.
export const routeManifest: readonly RouteEntry[] = [
${rows.join('\n')}
];
`;
}
