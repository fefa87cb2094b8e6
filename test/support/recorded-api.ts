import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

/** One recorded answer: the first route whose method, path and body clues match a request answers it. */
export interface RecordedRoute {
  method: 'GET' | 'POST';
  /** The request path with its query string; `*` stands for any text. */
  path: string;
  /** Text the request body must contain (Workday's SOAP calls share one URL). */
  bodyIncludes?: string[];
  status?: number;
  /** A JSON body, or a fixture file under test/integrations/fixtures/hris-api. */
  json?: unknown;
  file?: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

const FIXTURES = new URL('../integrations/fixtures/hris-api/', import.meta.url);
export const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/**
 * The vendor boundary in tests: an HTTP server on 127.0.0.1 answering provider API calls from
 * recorded responses (fixtures shaped as the vendors document them), and keeping every request,
 * so tests can check what the client sent. `routes` can be swapped to play a later state.
 */
export async function recordedApi(routes: RecordedRoute[]) {
  const seen: SeenRequest[] = [];
  const state = { routes };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      seen.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      const route = state.routes.find(
        (r) =>
          r.method === req.method &&
          glob(r.path).test(path) &&
          (r.bodyIncludes ?? []).every((clue) => body.includes(clue)),
      );
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no recorded response"}');
        return;
      }
      const text = route.file ? fixture(route.file) : JSON.stringify(route.json);
      res
        .writeHead(route.status ?? 200, {
          'content-type': route.file?.endsWith('.xml') ? 'text/xml' : 'application/json',
        })
        .end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    play(next: RecordedRoute[]) {
      state.routes = next;
    },
  };
}
