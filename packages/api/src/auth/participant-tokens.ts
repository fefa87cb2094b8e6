import { ACCEPTED_TOKEN_ALGORITHMS, EMAIL_CLAIM } from '@tandem/core';
import {
  type Db,
  type PersonReference,
  providersTrusting,
  resolvePerson,
  type TrustedProvider,
} from '@tandem/store';
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  jwtVerify,
  type RemoteJWKSet,
} from 'jose';
import { guardedFetch, type UrlPolicy } from './guarded-fetch.ts';
import type { Principal, Unmapped, Verdict } from './principal.ts';

/** Three base64url parts: what a compact JWS looks like before anything is decoded. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Larger than any identity provider's access token, small enough to refuse floods early. */
const MAX_TOKEN_LENGTH = 8192;
/** Bounds the work one forged token can cause when many organizations trust one issuer. */
const MAX_PROVIDERS_PER_ISSUER = 20;
/** Seconds of clock skew between the issuer and us that a token's exp and nbf tolerate. */
const CLOCK_TOLERANCE_SECONDS = 30;

export const looksLikeJwt = (token: string) => token.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(token);

export interface TokenVerifierOptions {
  /** Platform-level reads: the issuer lookup, and people and tenants of every tenant. */
  db: Db;
  /** Which URLs the JWKS and discovery fetches may reach (the webhooks' SSRF policy). */
  urlPolicy: UrlPolicy;
  /**
   * After a fetch, an unknown `kid` waits this long before the keys are fetched again (jose's
   * cooldown): a key rotation is picked up, and a token with a made-up kid cannot make us hammer
   * the issuer.
   */
  jwksCooldownMs?: number;
  /** How long fetched keys and discovery documents are trusted before they are fetched again. */
  jwksMaxAgeMs?: number;
  timeoutMs?: number;
}

/** The outcome of one token: its verdict, the tenants whose data decided it, and until when it holds. */
export interface TokenResolution {
  verdict: Verdict | null;
  tenantIds: string[];
  /** The token's `exp`, in ms; undefined when the token was refused. */
  expiresAt?: number;
}

type Participant = Extract<Principal, { kind: 'participant' }>;

const refused: TokenResolution = { verdict: null, tenantIds: [] };

/**
 * Verifies participant tokens against the identity providers tenants configured. Key sets are
 * fetched once per JWKS URI and kept in this process (jose's remote JWKS cache), discovery
 * documents once per issuer.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const fetch = guardedFetch(options.urlPolicy);
  const cooldownDuration = options.jwksCooldownMs ?? 30_000;
  const cacheMaxAge = options.jwksMaxAgeMs ?? 10 * 60_000;
  const timeoutDuration = options.timeoutMs ?? 3_000;
  const keySets = new Map<string, RemoteJWKSet>();
  const discovered = new Map<string, { jwksUri: Promise<string>; at: number }>();

  function keySet(uri: string): RemoteJWKSet {
    let set = keySets.get(uri);
    if (!set) {
      set = createRemoteJWKSet(new URL(uri), {
        cooldownDuration,
        cacheMaxAge,
        timeoutDuration,
        [customFetch]: fetch,
      });
      keySets.set(uri, set);
    }
    return set;
  }

  /** `<issuer>/.well-known/openid-configuration` → `jwks_uri`; a failure is kept for the cooldown. */
  function jwksUriOf(issuer: string): Promise<string> {
    const known = discovered.get(issuer);
    const now = Date.now();
    if (known && now - known.at < cacheMaxAge) return known.jwksUri;
    const jwksUri = (async () => {
      const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutDuration),
      });
      if (response.status !== 200) throw new Error(`discovery of ${issuer} answered ${response.status}`);
      const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
      // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
      if (document.issuer !== issuer) throw new Error(`discovery of ${issuer} names another issuer`);
      if (typeof document.jwks_uri !== 'string') throw new Error(`discovery of ${issuer} has no jwks_uri`);
      return document.jwks_uri;
    })();
    discovered.set(issuer, { jwksUri, at: now });
    jwksUri.catch(() => {
      discovered.set(issuer, { jwksUri, at: now - cacheMaxAge + cooldownDuration });
    });
    return jwksUri;
  }

  async function verifyWith(token: string, provider: TrustedProvider, at: Date) {
    const jwksUri = provider.jwksUri ?? (await jwksUriOf(provider.issuer));
    const { payload } = await jwtVerify(token, keySet(jwksUri), {
      issuer: provider.issuer,
      audience: provider.audience,
      algorithms: [...ACCEPTED_TOKEN_ALGORITHMS],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: at,
    });
    return payload;
  }

  /**
   * A token is a participant when one provider that trusts its issuer verifies it (signature,
   * algorithm, iss, aud, exp, nbf) and its claim names an active person of that provider's
   * tenant. Verified but naming nobody active: unmapped, with the reason. Anything else: refused.
   */
  return async function resolveToken(token: string, at: Date): Promise<TokenResolution> {
    let issuer: unknown;
    try {
      // Unverified, and only to find the candidate providers; each verifies the token in full.
      if (!(ACCEPTED_TOKEN_ALGORITHMS as readonly unknown[]).includes(decodeProtectedHeader(token).alg))
        return refused;
      issuer = decodeJwt(token).iss;
    } catch {
      return refused;
    }
    if (typeof issuer !== 'string' || issuer.length > 2048) return refused;
    const providers = await providersTrusting(options.db, issuer, MAX_PROVIDERS_PER_ISSUER);

    const verified: { provider: TrustedProvider; payload: JWTPayload }[] = [];
    for (const provider of providers) {
      try {
        verified.push({ provider, payload: await verifyWith(token, provider, at) });
      } catch {
        // Not this provider's token (audience, keys) or not valid at all: the next one may verify it.
      }
    }
    if (verified.length === 0) return refused;
    const expiresAt = verified[0]!.payload.exp! * 1000;
    const tenantIds = [...new Set(verified.map((v) => v.provider.tenantId))];

    const mapped: Participant[] = [];
    const reasons: string[] = [];
    for (const { provider, payload } of verified) {
      const outcome = await personOf(provider, payload);
      if (outcome.kind === 'participant') mapped.push(outcome);
      else if (outcome.kind === 'suspended') return { ...refused, tenantIds };
      else reasons.push(outcome.reason);
    }
    if (mapped.length === 1) return { verdict: mapped[0]!, tenantIds, expiresAt };
    const reason =
      mapped.length > 1
        ? 'This token names people in more than one organization that trust its issuer with the same audience; each organization needs an audience of its own'
        : reasons[0]!;
    return { verdict: { kind: 'unmapped', reason }, tenantIds, expiresAt };
  };

  async function personOf(
    provider: TrustedProvider,
    payload: JWTPayload,
  ): Promise<Participant | Unmapped | { kind: 'suspended' }> {
    const claim = payload[provider.personClaim];
    if (typeof claim !== 'string' || claim === '' || claim.length > 320)
      return {
        kind: 'unmapped',
        reason: `The token has no ${provider.personClaim} claim to identify you by (a non-empty string is needed)`,
      };
    let reference: PersonReference;
    if (provider.personClaim === EMAIL_CLAIM) {
      if (payload.email_verified === false)
        return {
          kind: 'unmapped',
          reason: 'The token says its email is not verified (email_verified: false)',
        };
      reference = { kind: 'email', email: claim };
    } else reference = { kind: 'externalId', system: provider.externalIdSystem!, value: claim };
    const person = await resolvePerson(options.db, provider.tenantId, reference);
    if (person?.tenantStatus === 'suspended') return { kind: 'suspended' };
    const named =
      reference.kind === 'email'
        ? `email ${claim}`
        : `${reference.system} id ${claim} (${provider.personClaim})`;
    if (!person)
      return {
        kind: 'unmapped',
        reason: `The token is valid, but no person of the organization has the ${named}; ask your program admin to add you`,
      };
    if (person.status !== 'active')
      return {
        kind: 'unmapped',
        reason: `The token is valid, but the person with the ${named} is ${person.status} in the organization; participants must be active`,
      };
    return {
      kind: 'participant',
      tenantId: provider.tenantId,
      personId: person.personId,
      providerId: provider.providerId,
    };
  }
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
