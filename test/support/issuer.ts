import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

type Algorithm = 'RS256' | 'ES256' | 'EdDSA';

interface SigningKey {
  kid: string;
  alg: Algorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function signingKey(alg: Algorithm, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/**
 * A real OIDC issuer on 127.0.0.1 (discovery document and JWKS over node:http) with keys made by
 * jose, so tests sign tokens exactly as an identity provider does and the authorizer fetches the
 * keys over HTTP. `rotate()` replaces the published keys; `jwksHits` counts key fetches.
 */
export async function testIssuer(options: { path?: string } = {}) {
  let keys: SigningKey[] = [await signingKey('RS256', 'key-1')];
  let generation = 1;
  const hits = { jwks: 0, discovery: 0 };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === `${prefix}/jwks`) {
      hits.jwks++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    } else if (path === `${prefix}/.well-known/openid-configuration`) {
      hits.discovery++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: jwksUri }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const prefix = options.path ?? '';
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}${prefix}`;
  const jwksUri = `${issuer}/jwks`;

  return {
    issuer,
    jwksUri,
    hits,
    /** The public JWK of the current first key (what an attacker could read from the JWKS). */
    publicJwk: () => keys[0]!.publicJwk,
    /** A token signed with the current key; `claims` override the defaults (iss, exp in an hour). */
    async sign(
      claims: JWTPayload,
      header: { kid?: string; alg?: Algorithm; key?: SigningKey } = {},
    ): Promise<string> {
      const key = header.key ?? keys[0]!;
      return new SignJWT({ iss: issuer, exp: Math.floor(Date.now() / 1000) + 3600, ...claims })
        .setProtectedHeader({ alg: header.alg ?? key.alg, kid: header.kid ?? key.kid, typ: 'JWT' })
        .sign(key.privateKey);
    },
    /** Publishes a new key instead of the old one (an identity provider's key rotation). */
    async rotate(alg: Algorithm = 'RS256') {
      generation++;
      keys = [await signingKey(alg, `key-${generation}`)];
      return keys[0]!;
    },
    /** A key that the JWKS never publishes. */
    unpublishedKey: (alg: Algorithm = 'RS256') => signingKey(alg, 'never-published'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestIssuer = Awaited<ReturnType<typeof testIssuer>>;
