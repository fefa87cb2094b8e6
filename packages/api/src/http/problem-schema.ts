import { z } from '@hono/zod-openapi';

/** The problem document's schemas, for the OpenAPI document: problems.ts writes bodies of this shape. */
export const fieldErrorSchema = z
  .object({
    field: z.string().meta({
      description: 'JSON Pointer into the body (`/email`), or the name of a query, path or header parameter',
    }),
    in: z.enum(['body', 'query', 'path', 'header']),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export type Problem = z.infer<typeof problemSchema>;
