import type { Precondition } from '@tandem/app';
import { PreconditionFailedError } from '@tandem/core';
import type { Context } from 'hono';

export const etagOf = (version: number) => `"${version}"`;

/**
 * The version named by If-Match, or undefined when the client sent none (or `*`).
 * A value that is not one of our ETags can never match, so it fails as a precondition.
 */
export function ifMatchVersion(c: Context): number | undefined {
  const header = c.req.header('if-match')?.trim();
  if (!header || header === '*') return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header);
  if (!match) throw new PreconditionFailedError(`If-Match ${header} is not an ETag of this resource`);
  return Number(match[1]);
}

/** The use case's precondition from the request's If-Match. */
export const preconditionOf = (c: Context): Precondition => ({ expectedVersion: ifMatchVersion(c) });
