import { DomainError, type FieldError, LimitExceededError } from '@tandem/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { Problem } from './problem-schema.ts';

// Every request may end here (errors, 401, 404, 413), so this module builds no schema: the app
// answers problems before any zod code has loaded. The document's schemas are in problem-schema.ts.

/** RFC 9457 problem types. Each `type` URI names one failure a client can branch on. */
const PROBLEM_BASE = 'https://tandem.dev/problems/';

type Located = FieldError & { in: 'body' | 'query' | 'path' | 'header' };

const titles: Record<number, [slug: string, title: string]> = {
  400: ['validation-error', 'The request is invalid'],
  401: ['unauthorized', 'Authentication required'],
  403: ['forbidden', 'Not allowed'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict with the current state'],
  412: ['precondition-failed', 'The resource changed (If-Match did not match)'],
  413: ['payload-too-large', 'The request body is too large'],
  415: ['unsupported-media-type', 'Send application/json'],
  422: ['unprocessable', 'The request cannot be processed'],
  428: ['precondition-required', 'If-Match is required'],
  429: ['rate-limited', 'Too many requests'],
  500: ['internal-error', 'Internal error'],
};

export function problem(
  c: Context,
  status: number,
  detail?: string,
  errors?: Located[],
  slug?: string,
): Response {
  const [defaultSlug, title] = titles[status] ?? ['error', 'Error'];
  const body: Problem = {
    type: `${PROBLEM_BASE}${slug ?? defaultSlug}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    instance: new URL(c.req.url).pathname,
    requestId: c.get('requestId') ?? '',
    ...(errors?.length ? { errors } : {}),
  };
  const response = c.json(body, status as ContentfulStatusCode);
  response.headers.set('content-type', 'application/problem+json');
  if (status === 401) response.headers.set('www-authenticate', 'Bearer');
  return response;
}

const statusOfKind: Record<string, [number, string]> = {
  'invalid-input': [422, 'invalid-input'],
  'not-found': [404, 'not-found'],
  conflict: [409, 'conflict'],
  'precondition-failed': [412, 'precondition-failed'],
  unauthorized: [401, 'unauthorized'],
  forbidden: [403, 'forbidden'],
  'limit-exceeded': [429, 'limit-exceeded'],
};

/** The one place errors become responses. Unknown errors are logged and never leak details. */
export function errorToProblem(error: unknown, c: Context, logError: (error: unknown) => void): Response {
  if (error instanceof DomainError) {
    const [status, slug] = statusOfKind[error.kind] ?? [500, 'internal-error'];
    const located = error.errors.map((e) => ({
      ...e,
      in: e.field.startsWith('/') ? ('body' as const) : ('query' as const),
    }));
    const response = problem(c, status, error.message, located, slug);
    if (error instanceof LimitExceededError)
      response.headers.set('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    return response;
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    const detail = status === 400 ? 'The body is not valid JSON' : error.message;
    return problem(
      c,
      status,
      detail,
      status === 400 ? [{ field: '/', in: 'body', message: detail }] : undefined,
    );
  }
  logError(error);
  return problem(c, 500, 'Something went wrong on our side. Quote the request id if you contact support.');
}

const targetLocation: Record<string, Located['in']> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
};

/** Turns a zod failure on one request part into field errors named the way the client sent them. */
export function validationProblem(c: Context, target: string, error: ZodError): Response {
  const location = targetLocation[target] ?? 'body';
  const errors = error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // One error per unknown field, named like any other field, so clients can point at it.
    const named = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...path, key]) : [path];
    return named.map((fieldPath) => ({
      field: location === 'body' ? `/${fieldPath.join('/')}` : (fieldPath[0] ?? ''),
      in: location,
      message: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
    }));
  });
  return problem(
    c,
    400,
    `Invalid ${location === 'body' ? 'request body' : `${location} parameters`}`,
    errors,
  );
}
