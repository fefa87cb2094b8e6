import { type CheckedTarget, pinnedLookup } from './ssrf.ts';

// From the CommonJS exports: an ESM import of node:http makes Node read all of its exports,
// and its lazy WebSocket ones load Node's bundled undici, which a cold start would pay for nothing.
const { request: httpRequest } = process.getBuiltinModule('node:http');
const { request: httpsRequest } = process.getBuiltinModule('node:https');

export interface PostResult {
  statusCode?: number;
  retryAfter?: string | undefined;
  /** The first bytes of the response, decoded leniently, for the delivery log. */
  body?: string;
  error?: string;
  durationMs: number;
}

/**
 * One POST to the address the SSRF guard checked (the hostname stays in the Host header and
 * TLS SNI). Redirects are not followed; the response is read up to `maxBytes`.
 */
export function postToTarget(
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; maxBytes: number },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // Pins the connection to the checked address: a second DNS answer cannot redirect it.
  const pinned = pinnedLookup(target);
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = send(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Tandem-Webhooks/1',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            statusCode: res.statusCode,
            retryAfter: res.headers['retry-after'],
            body: Buffer.concat(chunks).toString('utf8'),
            durationMs: elapsed(),
          });
        res.on('data', (chunk: Buffer) => {
          if (size < options.maxBytes) chunks.push(chunk.subarray(0, options.maxBytes - size));
          size += chunk.length;
          if (size >= options.maxBytes) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', (error) =>
          finish({ statusCode: res.statusCode, error: error.message, durationMs: elapsed() }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no response within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    req.on('error', (error) => finish({ error: error.message, durationMs: elapsed() }));
    req.end(body);
  });
}
