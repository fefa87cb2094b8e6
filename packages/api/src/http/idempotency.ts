import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { type AppEnv, nowOf } from '../env.ts';
import { problem } from './problems.ts';

/** Canonical JSON (sorted keys), so a replay with reordered fields is still the same request. */
function canonical(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), (_, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
        : value,
    );
  } catch {
    return text;
  }
}

const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

/**
 * A secret the response shows once. Its schema admits `null` because that is what an
 * idempotent replay returns in its place: the stored replay never holds a secret.
 */
export const shownOnce = (what: string) =>
  z
    .string()
    .nullable()
    .meta({
      description:
        `${what} Shown once: store it now. An idempotent replay of this request ` +
        '(`Idempotent-Replayed: true`) returns `null` here, because secrets are never stored; ' +
        'rotate to get a new one.',
    });

/**
 * The body to store for a replay: each field at a dotted path in `secrets` set to `null`.
 * Undefined when the body is not JSON, so a route that declares secrets never stores a body
 * it could not clean.
 */
export function withoutSecrets(body: Uint8Array, secrets: readonly string[]): Uint8Array | undefined {
  if (secrets.length === 0) return body;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  for (const path of secrets) {
    const names = path.split('.');
    const field = names.pop()!;
    const parent = names.reduce<unknown>(
      (value, name) =>
        value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined,
      json,
    );
    if (parent && typeof parent === 'object' && field in parent)
      (parent as Record<string, unknown>)[field] = null;
  }
  return new TextEncoder().encode(JSON.stringify(json));
}

export interface IdempotencyOptions {
  /** Dotted paths of response fields that are shown once (`secret`, `adminKey.secret`): replays return `null`. */
  secrets?: readonly string[];
}

/**
 * Idempotency-Key on POST: the first response (below 500) is stored and replayed; the same key
 * with a different request is 422; a retry while the first is still running is 409. A 5xx
 * releases the key so the client can retry. The fields a route declares as `secrets` are
 * stored, and so replayed, as `null`: a secret shown once is never persisted.
 */
export function idempotency(options: IdempotencyOptions = {}): MiddlewareHandler<AppEnv> {
  const secrets = options.secrets ?? [];
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (key.length < 1 || key.length > 255)
      return problem(c, 400, 'Idempotency-Key must be 1–255 characters', [
        { field: 'Idempotency-Key', in: 'header', message: 'must be 1–255 characters' },
      ]);
    const { store, scope, caller } = c.get('idempotency');
    // A participant's keys are theirs alone: nobody else of the tenant can replay their responses.
    const recordKey = caller ? `${caller}/${key}` : key;
    const body = await c.req.text();
    const fingerprint = createHash('sha256')
      .update(`${c.req.method} ${new URL(c.req.url).pathname}\n${canonical(body)}`)
      .digest('hex');
    const now = nowOf(c);
    const claim = await store.claim(scope, recordKey, fingerprint, now);

    if (claim.state !== 'claimed') {
      if (claim.fingerprint !== fingerprint)
        return problem(
          c,
          422,
          'This Idempotency-Key was used with a different request',
          [{ field: 'Idempotency-Key', in: 'header', message: 'already used for a different request' }],
          'idempotency-key-reused',
        );
      if (claim.state === 'in_progress')
        return problem(
          c,
          409,
          'A request with this Idempotency-Key is still in progress; retry shortly',
          [],
          'idempotency-in-progress',
        );
      const replay = new Response(claim.response.body, {
        status: claim.response.status,
        headers: claim.response.headers,
      });
      replay.headers.set('idempotent-replayed', 'true');
      return replay;
    }

    const { held } = claim;
    try {
      await next();
    } catch (error) {
      await store.release(held);
      throw error;
    }
    // A 429 means "the same request, later": a retry with the same key must run again, not replay it.
    if (c.res.status >= 500 || c.res.status === 429) {
      await store.release(held);
      return;
    }
    const response = c.res.clone();
    const stored = withoutSecrets(new Uint8Array(await response.arrayBuffer()), secrets);
    if (!stored) {
      await store.release(held);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.headers.get(name);
      if (value) headers[name] = value;
    }
    await store.complete(held, { status: response.status, headers, body: stored });
  };
}
