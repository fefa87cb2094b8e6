import type { DeliveryPolicy } from '@tandem/webhooks';
import { checkTarget, pinnedLookup } from '@tandem/webhooks/ssrf';

// From the CommonJS exports: an ESM import of node:http makes Node read all of its exports,
// and its lazy WebSocket ones load Node's bundled undici, which a cold start would pay for nothing.
const { request: httpRequest } = process.getBuiltinModule('node:http');
const { request: httpsRequest } = process.getBuiltinModule('node:https');

/** Which URLs a provider call may reach: the webhooks' SSRF policy (loopback only locally and in tests). */
export type ApiUrlPolicy = Pick<DeliveryPolicy, 'allowInsecureUrls' | 'resolveHost'>;

export interface ApiRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ApiResponse {
  status: number;
  body: string;
}

/** How a client reaches the provider: guardedHttp in every runtime. */
export type ApiHttp = (request: ApiRequest) => Promise<ApiResponse>;

/** A provider answer larger than this is not one page of employees. */
const MAX_BYTES = 8 * 1024 * 1024;
const TIMEOUT_MS = 20_000;

/**
 * Calls to a provider's API pass the webhooks' SSRF guard before each request (https to public
 * addresses in AWS), connect to the checked address (a second DNS answer cannot redirect them),
 * follow no redirects, and cap the response.
 */
export function guardedHttp(policy: ApiUrlPolicy): ApiHttp {
  return async ({ method, url, headers = {}, body }) => {
    const target = await checkTarget(url, {
      allowInsecure: policy.allowInsecureUrls,
      resolve: policy.resolveHost,
    });
    const pinned = pinnedLookup(target);
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<ApiResponse>((resolve, reject) => {
      const req = send(
        target.url,
        {
          method,
          lookup: pinned,
          timeout: TIMEOUT_MS,
          headers: {
            ...headers,
            'user-agent': 'Tandem-HRIS/1',
            ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BYTES) {
              res.destroy();
              reject(new Error(`the provider answered with more than ${MAX_BYTES} bytes`));
            } else chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  };
}
