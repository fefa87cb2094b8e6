import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Hono } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { type RouteGroup, routeGroups } from '../routes/groups.ts';
import { routeManifest } from '../routes/manifest.ts';

/** A value made on first use and shared; a failed attempt is forgotten, so the next use tries again. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}

/** Makes the app a group is registered on (group-app.ts, loaded with the first group). */
type NewApp = () => Promise<OpenAPIHono<AppEnv>>;

/**
 * Every variable a request may carry (the compiler checks that the list is AppEnv's, whole). Named
 * here rather than read off `c.var`, which builds an object of them on each read.
 */
const VARIABLES = Object.keys({
  requestId: true,
  principal: true,
  refusal: true,
  tenantId: true,
  store: true,
  idempotency: true,
  actor: true,
  cursors: true,
  deps: true,
} satisfies Record<keyof AppEnv['Variables'], true>) as (keyof AppEnv['Variables'])[];

/** The request a group's app serves → the context of the app that handed it over. */
const parents = new WeakMap<Request, Context<AppEnv>>();

/**
 * The app a lazily loaded part of the API runs in (made by `newApp`, given to `register`). It
 * takes the variables that the outer app's middleware set, and hands back whatever it sets, so
 * middleware that runs after the handler reads the same context as if the routes were its own.
 */
function hostedApp(
  app: OpenAPIHono<AppEnv>,
  register: (app: OpenAPIHono<AppEnv>) => void,
): OpenAPIHono<AppEnv> {
  app.use('*', async (c, next) => {
    const parent = parents.get(c.req.raw);
    if (!parent) throw new Error('A lazily loaded route was called without its outer request');
    for (const name of VARIABLES) c.set(name, parent.get(name));
    await next();
    for (const name of VARIABLES) parent.set(name, c.get(name));
  });
  register(app);
  return app;
}

/** A handler of the outer app that passes the request, with its context, to the app `load` makes. */
function delegateTo(load: () => Promise<OpenAPIHono<AppEnv>>) {
  return async (c: Context<AppEnv>) => {
    const app = await load();
    parents.set(c.req.raw, c);
    // The group's response as it is: the outer app's middleware sets its headers after the
    // handler (on c.res), so there is nothing of the outer context to merge into a copy.
    return app.fetch(c.req.raw, c.env);
  };
}

/**
 * Registers every route of every group on `app` as a stand-in that, on the first request to any
 * route of a group, loads the group's module into an app of its own and from then on hands that
 * app each request of the group. The stand-ins have the routes' methods and patterns (from
 * `manifest.ts`), so `app` matches, runs its middleware and lists its routes (405 answers, route
 * patterns in logs, metrics and audit entries) as if the groups were registered on it.
 */
export function registerLazyRouteGroups(app: Hono<AppEnv>, newApp: NewApp) {
  const groups = new Map<RouteGroup, () => Promise<OpenAPIHono<AppEnv>>>();
  const groupApp = (group: RouteGroup) => {
    let load = groups.get(group);
    if (!load) {
      load = once(async () => {
        const [register, groupApp] = await Promise.all([routeGroups[group](), newApp()]);
        return hostedApp(groupApp, register);
      });
      groups.set(group, load);
    }
    return load;
  };
  for (const [group, method, path] of routeManifest) app.on(method, path, delegateTo(groupApp(group)));
}

/**
 * SCIM (`/scim/v2`, its own sub-app with its own middleware and errors) loads on its first request:
 * few tenants provision through SCIM, and those call it in bursts. Every SCIM path went to the
 * sub-app's catch-all before, so this one pattern routes, logs and counts them as before.
 */
export function registerLazyScim(app: Hono<AppEnv>, newApp: NewApp, deps: AppDeps) {
  const scim = once(async () => {
    const [{ registerScimRoutes }, scimApp] = await Promise.all([import('../routes/scim.ts'), newApp()]);
    return hostedApp(scimApp, (host) => registerScimRoutes(host, deps));
  });
  app.all('/scim/v2/*', delegateTo(scim));
}

/** Every group registered on `app` itself: what the OpenAPI document is generated from. */
export async function registerAllRouteGroups(app: OpenAPIHono<AppEnv>) {
  const registers = await Promise.all(Object.values(routeGroups).map((load) => load()));
  for (const register of registers) register(app);
}

/** operationId by `METHOD /path/{param}`, as the OpenAPI document names each route, for the audit trail. */
export function manifestOperationIds(): (method: string, path: string) => string | undefined {
  const byRoute = new Map(
    routeManifest.map(([, method, path, operationId]) => [
      `${method} ${path.replace(/:(\w+)/g, '{$1}')}`,
      operationId,
    ]),
  );
  return (method, path) => byRoute.get(`${method} ${path}`);
}
