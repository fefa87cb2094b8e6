import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { type IdKind, idSchema } from '@tandem/core';
import { problemSchema } from './problems.ts';

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: problemDescriptions[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  );

const problemDescriptions: Record<number, string> = {
  400: 'Invalid parameters or body; `errors` names each field',
  401: 'Missing or invalid credentials',
  403: 'The key lacks the required scope',
  404: 'No such resource in your organization',
  409: 'Conflicts with the current state',
  412: 'If-Match does not match the current version',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Valid JSON that breaks a rule (an unknown reference)',
};

/** Every authenticated route can answer these. */
export const commonProblems = [400, 401, 403, 415, 422];

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: z.object({ ETag: z.string().optional().meta({ description: 'Current version, for If-Match' }) }),
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
  'if-match': z.string().optional().meta({
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

/** What an operation that takes Idempotency-Key can answer on top of its own statuses. */
const idempotencyProblems: Record<number, string> = {
  409: 'A request with this Idempotency-Key is still in progress (`idempotency-in-progress`); retry shortly',
  422: 'This Idempotency-Key was used with a different request (`idempotency-key-reused`)',
};

/** Documents the idempotency answers on every registered operation that takes Idempotency-Key. */
export function documentIdempotency(registry: OpenAPIHono['openAPIRegistry']) {
  for (const definition of registry.definitions) {
    if (definition.type !== 'route') continue;
    const headers = definition.route.request?.headers;
    if (!(headers instanceof z.ZodObject && 'idempotency-key' in headers.shape)) continue;
    const { responses } = definition.route;
    for (const [status, answer] of Object.entries(idempotencyProblems)) {
      const own = responses[status];
      responses[status] =
        own && 'description' in own
          ? { ...own, description: `${own.description}. ${answer}` }
          : { ...problemResponses(Number(status))[status], description: answer };
    }
  }
}

export const listQueryFields = {
  limit: z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Page size (1–100)' }),
  cursor: z.string().max(2048).optional().meta({ description: 'nextCursor from the previous page' }),
};

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}
