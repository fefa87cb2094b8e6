import { z } from '@hono/zod-openapi';
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
  422: 'Valid JSON that breaks a rule (unknown reference, reused Idempotency-Key with a different body)',
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
  'idempotency-key': z.string().min(1).max(255).optional().meta({
    description:
      'Retry-safe key: a replay returns the first response; a different body with the same key is 422',
  }),
});

export const listQueryFields = {
  limit: z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Page size (1–100)' }),
  cursor: z.string().max(2048).optional().meta({ description: 'nextCursor from the previous page' }),
};

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}
