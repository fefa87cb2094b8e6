import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { fixture } from './recorded-api.ts';

export const GUSTO_CLIENT = { clientId: 'gusto-client-id-0001', clientSecret: 'gusto-client-secret-0001' };

/**
 * Gusto's API at the vendor boundary, with its OAuth as Gusto documents it: `POST /oauth/token`
 * exchanges a refresh token for an access token and a new refresh token, and the spent refresh
 * token is revoked when the new access token is first used; an unknown or expired access token
 * answers 401. Employees come from the recorded fixtures. `expire()` ends every access token
 * issued so far (two hours passing).
 */
export async function fakeGusto(firstRefreshToken: string) {
  const refreshTokens = new Set([firstRefreshToken]);
  /** Live access token → the refresh token its first use revokes. */
  const accessTokens = new Map<string, string | undefined>();
  const exchanges: { refreshToken: string; status: number }[] = [];
  const used: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'POST' && req.url === '/oauth/token') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
        const valid =
          body.grant_type === 'refresh_token' &&
          body.client_id === GUSTO_CLIENT.clientId &&
          body.client_secret === GUSTO_CLIENT.clientSecret &&
          refreshTokens.has(body.refresh_token ?? '');
        exchanges.push({ refreshToken: body.refresh_token ?? '', status: valid ? 200 : 401 });
        if (!valid) return json(401, { error: 'invalid_grant' });
        const pair = {
          access_token: `gusto-access-${randomUUID()}`,
          refresh_token: `gusto-refresh-${randomUUID()}`,
        };
        refreshTokens.add(pair.refresh_token);
        accessTokens.set(pair.access_token, body.refresh_token);
        return json(200, { ...pair, token_type: 'bearer', expires_in: 7200 });
      }
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!accessTokens.has(token)) return json(401, { error: 'invalid_token' });
      const spent = accessTokens.get(token);
      if (spent) refreshTokens.delete(spent);
      accessTokens.set(token, undefined);
      used.push(token);
      if (req.method === 'GET' && req.url?.startsWith('/v1/employees/'))
        return res.writeHead(200, { 'content-type': 'application/json' }).end(fixture('gusto/employee.json'));
      if (req.method === 'GET' && req.url?.startsWith('/v1/companies/'))
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(fixture('gusto/employees.json'));
      json(404, { error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    exchanges,
    /** Access tokens in the order API calls used them. */
    used,
    /** Whether a refresh token would still be exchanged. */
    refreshable: (refreshToken: string) => refreshTokens.has(refreshToken),
    expire: () => accessTokens.clear(),
  };
}
