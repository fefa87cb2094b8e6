import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';

/**
 * The URL a client reached `path` under. Behind API Gateway the function sees the path without
 * the stage; the path the client called still has it.
 */
export function publicUrl(c: Context<AppEnv>, path: string): string {
  const event = (c.env as { event?: { path?: string; requestContext?: { path?: string } } } | undefined)
    ?.event;
  const called = event?.requestContext?.path;
  const prefix =
    called && event?.path && called.endsWith(event.path)
      ? called.slice(0, called.length - event.path.length)
      : '';
  return `${new URL(c.req.url).origin}${prefix}${path}`;
}
