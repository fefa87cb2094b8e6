import type { DeliveryPolicy } from '@tandem/webhooks';
import { checkTarget, pinnedLookup } from '@tandem/webhooks/ssrf';

// From the CommonJS exports: an ESM import of node:http makes Node read all of its exports,
// and its lazy WebSocket ones load Node's bundled undici, which a cold start would pay for nothing.
const { request: httpRequest } = process.getBuiltinModule('node:http');
const { request: httpsRequest } = process.getBuiltinModule('node:https');

/** The part of the webhooks' delivery policy that decides which URLs may be called at all. */
export type UrlPolicy = Pick<DeliveryPolicy, 'allowInsecureUrls' | 'resolveHost'>;

/** AWS's policy: https to public addresses only. */
export const strictUrlPolicy: UrlPolicy = { allowInsecureUrls: false };

/** A JWKS or discovery document is small; anything this large is not one. */
const MAX_BYTES = 256 * 1024;

/**
 * A `fetch` for GETs to URLs a tenant configured (OIDC discovery, JWKS): the webhooks' SSRF guard
 * checks the URL and every address its name resolves to before each request, and the connection
 * is pinned to the checked address, so a second DNS answer cannot point it elsewhere. Redirects
 * are not followed; bodies are capped.
 */
export function guardedFetch(policy: UrlPolicy) {
  return async (
    url: string,
    options: { headers?: Headers | Record<string, string>; signal?: AbortSignal | null } = {},
  ): Promise<Response> => {
    const target = await checkTarget(url, {
      allowInsecure: policy.allowInsecureUrls,
      resolve: policy.resolveHost,
    });
    const pinned = pinnedLookup(target);
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const req = send(
        target.url,
        {
          method: 'GET',
          lookup: pinned,
          headers: { ...Object.fromEntries(new Headers(options.headers)), 'user-agent': 'Tandem/1' },
          signal: options.signal ?? undefined,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BYTES) {
              res.destroy();
              reject(new Error(`${url} answered with more than ${MAX_BYTES} bytes`));
            } else chunks.push(chunk);
          });
          res.on('end', () =>
            resolve(
              new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), {
                status: res.statusCode ?? 502,
                headers: { 'content-type': String(res.headers['content-type'] ?? '') },
              }),
            ),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  };
}
