/**
 * What the Lambda authorizer needs, without the routes: importing the package root would bundle
 * the whole app and @hono/zod-openapi (which keeps every zod locale) into the authorizer.
 */
export * from './authorizer.ts';
export * from './cache.ts';
export * from './guarded-fetch.ts';
export * from './principal.ts';
