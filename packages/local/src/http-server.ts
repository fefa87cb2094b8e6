import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Http2Bindings, type HttpBindings, serve } from '@hono/node-server';

/** Node's own default, stated so that the 431 problem can name it. */
export const MAX_HEADER_BYTES = 16 * 1024;

export class PortInUseError extends Error {
  constructor(port: number) {
    super(
      `Port ${port} is already in use: stop whatever is listening there, or start Tandem with PORT=<another port>.`,
    );
  }
}

type Handler = (request: Request) => Response | Promise<Response>;

export interface LocalHttpServer {
  port: number;
  server: Server;
  close: () => Promise<void>;
  attach: (handler: Handler) => void;
}

/**
 * Binds the port before anything else starts, so a taken port fails fast with one clear line.
 * Requests are answered only once the app is attached.
 */
export function listen(
  port: number,
  onError: (error: unknown, request: Request) => void = (error) => console.error(error),
): Promise<LocalHttpServer> {
  let handler: Handler | undefined;
  const answer = async (request: Request) => {
    if (!handler) return new Response('Tandem is starting', { status: 503 });
    try {
      return await handler(request);
    } catch (error) {
      // What escapes the app would reach @hono/node-server, which answers a bare 500 and logs
      // nothing: the cause is logged here and the client gets a problem like every other error.
      onError(error, request);
      return internalError(new URL(request.url).pathname);
    }
  };
  const fetch = async (request: Request, env: HttpBindings | Http2Bindings) => {
    const response = await answer(request);
    // The unread rest of a refused body is still on the socket and the server drops the
    // connection once it gives up draining it: say so, or the client sends its next request
    // into a socket that is about to close.
    if (response.status === 413 || env.incoming.destroyed) response.headers.set('connection', 'close');
    return response;
  };
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch, port, hostname: '127.0.0.1', serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } },
      (info: AddressInfo) =>
        resolve({
          port: info.port,
          server: server as Server,
          close: () => new Promise((done) => server.close(() => done())),
          attach: (next) => {
            handler = next;
          },
        }),
    ) as Server;
    server.on('clientError', answerClientError);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
    );
  });
}

function internalError(instance: string): Response {
  const { body, requestId } = problemOutsideTheApp({
    slug: 'internal-error',
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side. Quote the request id if you contact support.',
    instance,
  });
  return new Response(body, {
    status: 500,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId },
  });
}

/** The RFC 9457 body the app would give, for what is answered before or after the app. */
function problemOutsideTheApp(problem: {
  slug: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
}): { body: string; requestId: string } {
  const requestId = randomUUID();
  const body = JSON.stringify({
    type: `https://tandem.dev/problems/${problem.slug}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: problem.instance ?? `urn:uuid:${requestId}`,
    requestId,
  });
  return { body, requestId };
}

const clientErrors: Record<string, [status: number, reason: string, slug: string, detail: string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'request-header-fields-too-large',
    `The request line and headers are limited to ${MAX_HEADER_BYTES} bytes`,
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'request-timeout',
    'The request took too long to arrive',
  ],
};

/**
 * Requests Node's parser refuses never reach the app; without this handler Node answers them
 * with a bare status line. They get the same RFC 9457 problem as everything else, and the
 * connection is closed, since the parser cannot find where the next request starts.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, slug, detail] = clientErrors[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'malformed-request',
    'The request is not valid HTTP/1.1',
  ];
  const { body, requestId } = problemOutsideTheApp({ slug, title: reason, status, detail });
  socket.end(
    [
      `HTTP/1.1 ${status} ${reason}`,
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}
