import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { writeFileAtomicSync } from './atomic-file.ts';

/** Where the local development issuer is served, beside the API and outside /v1. */
export const DEV_ISSUER_PATH = '/dev-issuer';
/** The audience of the demo organization's development identity provider. */
export const DEV_AUDIENCE = 'tandem-local';
const FILE = 'dev-issuer.json';
const ALG = 'ES256';

/** What the data folder keeps of the development issuer: its URL on this run, and its signing key. */
interface DevIssuerFile {
  issuer: string;
  audience: string;
  privateJwk: JWK;
}

/**
 * The local runtime's OIDC issuer, for trying participant routes without an identity provider:
 * a discovery document and a JWKS served on loopback by the local server, and a signing key kept
 * (owner-only) in the data folder, never printed. `npm run token -- <email>` signs with it.
 */
export async function startDevIssuer(dataDir: string | undefined, origin: string) {
  const issuer = `${origin}${DEV_ISSUER_PATH}`;
  const file = dataDir && join(dataDir, FILE);
  let privateJwk: JWK;
  if (file && existsSync(file))
    privateJwk = (JSON.parse(readFileSync(file, 'utf8')) as DevIssuerFile).privateJwk;
  else {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: `dev-${Date.now().toString(36)}`, alg: ALG };
  }
  if (file) {
    mkdirSync(dataDir, { recursive: true });
    const saved: DevIssuerFile = { issuer, audience: DEV_AUDIENCE, privateJwk };
    writeFileAtomicSync(file, `${JSON.stringify(saved, null, 2)}\n`);
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const jwks = JSON.stringify({ keys: [{ ...publicJwk, use: 'sig' }] });
  const discovery = JSON.stringify({
    issuer,
    jwks_uri: `${issuer}/jwks`,
    id_token_signing_alg_values_supported: [ALG],
  });
  const json = (body: string) => new Response(body, { headers: { 'content-type': 'application/json' } });
  return {
    issuer,
    audience: DEV_AUDIENCE,
    /** The issuer's two documents; anything else under the path is a 404. */
    handle(request: Request): Response | undefined {
      const { pathname } = new URL(request.url);
      if (!pathname.startsWith(`${DEV_ISSUER_PATH}/`)) return undefined;
      if (pathname === `${DEV_ISSUER_PATH}/.well-known/openid-configuration`) return json(discovery);
      if (pathname === `${DEV_ISSUER_PATH}/jwks`) return json(jwks);
      return new Response('Not found', { status: 404 });
    },
  };
}

/** A participant token of the development issuer for `email`, valid for `hours`. */
export async function mintDevToken(dataDir: string, email: string, hours = 12): Promise<string> {
  const file = join(dataDir, FILE);
  if (!existsSync(file))
    throw new Error(
      `No development issuer in ${dataDir}: start Tandem once with npm start (not --in-memory)`,
    );
  const saved = JSON.parse(readFileSync(file, 'utf8')) as DevIssuerFile;
  const key = await importJWK(saved.privateJwk, ALG);
  return new SignJWT({ email, email_verified: true })
    .setProtectedHeader({ alg: ALG, kid: saved.privateJwk.kid!, typ: 'JWT' })
    .setIssuer(saved.issuer)
    .setAudience(saved.audience)
    .setSubject(email)
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(key);
}
