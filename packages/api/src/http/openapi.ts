import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import { type IdKind, idSchema } from '@tandem/core';
import { problemSchema } from './problem-schema.ts';

const problemContent = { 'application/problem+json': { schema: problemSchema } };

const problemDescriptions: Record<number, string> = {
  400: 'Invalid parameters or body; `errors` names each field',
  401: 'Missing or invalid credentials',
  403: 'The key lacks the required scope',
  404: 'No such resource in your organization',
  409: 'Conflicts with the current state',
  412: 'If-Match does not match the current version',
  413: 'Body larger than 256 KiB',
  415: 'Body is not application/json',
  422: 'Valid JSON that breaks a rule (an unknown reference, or a rule that needs the stored state)',
  429: 'Too many requests',
  500: 'Unexpected failure on our side; quote `requestId` to support',
};

/** The extra meaning 409 and 422 take on a POST that honours Idempotency-Key (see `idempotency()`). */
const idempotentDescriptions: Record<number, string> = {
  409: 'A request with this Idempotency-Key is still in progress (`type` …/problems/idempotency-in-progress); retry shortly',
  422: 'This Idempotency-Key was used with a different request (`type` …/problems/idempotency-key-reused)',
};

const rateLimitHeaders = {
  RateLimit: z
    .string()
    .max(200)
    .optional()
    .meta({
      description:
        'IETF draft RateLimit field: what is left of each policy (`r`, requests) and when it refills (`t`, seconds). ' +
        'Sent by the API; absent on the gateway’s own 429s in AWS',
      example: '"burst";r=0;t=2, "daily";r=99950;t=3600',
    }),
  'RateLimit-Policy': z
    .string()
    .max(200)
    .optional()
    .meta({
      description:
        'IETF draft RateLimit-Policy field: the limits of your organization’s tier, a burst (`q` requests, refilled ' +
        'over `w` seconds) and a daily quota',
      example: '"burst";q=50;w=2, "daily";q=100000;w=86400',
    }),
};

const rateLimited = {
  description:
    'Too many requests: your organization’s tier limits its requests per second (a burst, refilled steadily) and per ' +
    'day, whether they come with its API keys or its participants’ tokens. Wait `Retry-After` seconds and retry.',
  headers: z.object({
    'Retry-After': z.string().max(32).meta({
      description: 'Seconds to wait before retrying',
      example: '1',
    }),
    ...rateLimitHeaders,
  }),
  content: problemContent,
};

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: problemDescriptions[status] ?? 'Problem', content: problemContent },
    ]),
  );

/** Every authenticated route can answer these. */
export const commonProblems = [400, 401, 403, 415, 422];

function headerNames(headers: unknown): string[] {
  return headers instanceof z.ZodObject ? Object.keys(headers.shape) : [];
}

/**
 * What every operation may answer besides its own statuses: throttling and internal errors
 * anywhere, 413 wherever a body can be sent (the body limit runs before the route), 415 only
 * where a JSON body is read, and the Idempotency-Key outcomes on POSTs that take the header.
 */
function answersOf(config: RouteConfig): RouteConfig['responses'] {
  const takesBody = config.request?.body !== undefined;
  const idempotent = headerNames(config.request?.headers).includes('idempotency-key');
  const declared = Object.keys(config.responses).map(Number);
  const problems = new Set([
    ...declared.filter((status) => status >= 400),
    ...commonProblems,
    ...(config.method === 'get' ? [] : [413]),
    ...(idempotent ? [409, 422] : []),
    500,
  ]);
  if (!takesBody) problems.delete(415);
  // An operation without credentials (`security: []`) cannot fail on them.
  if (config.security?.length === 0) for (const status of [401, 403]) problems.delete(status);
  const responses: RouteConfig['responses'] = Object.fromEntries(
    declared
      .filter((status) => status < 400)
      .map((status) => [status, withRateLimitHeaders(config.responses[status]!)]),
  );
  for (const status of problems) {
    const own = describedAs(config.responses[status]) ?? problemDescriptions[status] ?? 'Problem';
    const extra = idempotent ? idempotentDescriptions[status] : undefined;
    responses[status] = { description: extra ? `${own}; or: ${extra}` : own, content: problemContent };
  }
  responses[429] = rateLimited;
  return responses;
}

/** Successful answers carry the caller's RateLimit fields too (see `rateLimit()`). */
function withRateLimitHeaders(response: RouteConfig['responses'][number]): RouteConfig['responses'][number] {
  if (!('description' in response) || '$ref' in response) return response;
  const { headers } = response;
  if (headers === undefined) return { ...response, headers: z.object(rateLimitHeaders) };
  if (headers instanceof z.ZodObject) return { ...response, headers: headers.extend(rateLimitHeaders) };
  return response;
}

const describedAs = (response: RouteConfig['responses'][number] | undefined) =>
  response && 'description' in response ? response.description : undefined;

/**
 * `createRoute` with what the contract demands of every operation: a stable operationId, a
 * description, and every status the server can answer with.
 */
export function route<
  P extends string,
  R extends Omit<RouteConfig, 'path'> & { path: P; operationId: string; description: string; tags: string[] },
>(config: R) {
  return createRoute({ ...config, responses: answersOf(config as RouteConfig) } as R);
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: z.object({
    ETag: z
      .string()
      .max(32)
      .optional()
      .meta({ description: 'Current version, for If-Match', example: '"3"' }),
  }),
  content: { 'application/json': { schema } },
});

export const idParams = <K extends string>(params: Record<K, IdKind>) =>
  z.strictObject(
    Object.fromEntries(
      Object.entries<IdKind>(params).map(([name, kind]) => [
        name,
        idSchema(kind).meta({ param: { name, in: 'path' } }),
      ]),
    ) as Record<K, ReturnType<typeof idSchema>>,
  );

export const ifMatchHeaders = z.object({
  'if-match': z.string().max(64).optional().meta({
    description: 'ETag from a previous read; the write fails with 412 if the resource changed since',
  }),
});

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({
      description:
        'Retry-safe key, kept 24 h: a replay returns the first response with `Idempotent-Replayed: true` ' +
        '(a secret it showed once comes back as `null`); a different request with the same key is 422, ' +
        'a retry while the first is still running is 409',
    }),
});

/**
 * A query integer written as plain decimal digits. `Number()` would also take `1e1`, `0x10` or
 * ` 5`, which no client means to send; the document says `integer` and the parser agrees.
 */
export function queryInteger(bounds: { min: number; max: number; default: number; description: string }) {
  return z
    .string()
    .regex(/^\d{1,10}$/, 'must be written as decimal digits')
    .default(String(bounds.default))
    .transform(Number)
    .pipe(z.int().min(bounds.min).max(bounds.max))
    .meta({
      type: 'integer',
      format: 'int32',
      minimum: bounds.min,
      maximum: bounds.max,
      default: bounds.default,
      pattern: undefined,
      maxLength: undefined,
      description: bounds.description,
    });
}

export const listQueryFields = {
  limit: queryInteger({ min: 1, max: 100, default: 25, description: 'Page size (1–100)' }),
  cursor: z.string().max(2048).optional().meta({ description: 'nextCursor from the previous page' }),
};

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item).max(100),
      nextCursor: z.string().max(2048).nullable().meta({
        description:
          'Pass as `cursor` for the next page; `null` after the last. A filtered list reads a bounded number of items per request, so a page may hold fewer items than `limit`, or none, and still have a next one.',
      }),
    })
    .meta({ id });
}

const INT32 = 2 ** 31;

type Node = Record<string, unknown>;

/** int32 when the bounds fit, int64 otherwise (JavaScript numbers are exact up to 2^53). */
function integerFormat(schema: Node): string {
  const { minimum, maximum } = schema;
  return typeof minimum === 'number' && typeof maximum === 'number' && minimum >= -INT32 && maximum < INT32
    ? 'int32'
    : 'int64';
}

/**
 * The generator writes a nullable reference as `allOf: [$ref, { type: [object, null] }]`, which
 * no null satisfies (the referenced schema is an object). Merge patches accept null there.
 */
function nullableRef(schema: Node): Node | undefined {
  const parts = schema.allOf;
  if (!Array.isArray(parts) || parts.length !== 2) return undefined;
  const [ref, nullable] = parts as Node[];
  if (typeof ref?.$ref !== 'string' || !Array.isArray(nullable?.type) || !nullable.type.includes('null'))
    return undefined;
  return { anyOf: [ref, { type: 'null' }] };
}

/**
 * What the generator leaves out, fixed once for the whole document so that no schema can forget
 * it: a `format` on every integer that agrees with its bounds, and nulls that merge patches take.
 */
export function finishDocument<T>(document: T): T {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const schema = node as Node;
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (types.includes('integer') && schema.format === undefined) schema.format = integerFormat(schema);
      const fixed = nullableRef(schema);
      if (fixed) {
        delete schema.allOf;
        Object.assign(schema, fixed);
      }
      Object.values(schema).forEach(visit);
    }
  };
  visit(document);
  return document;
}
