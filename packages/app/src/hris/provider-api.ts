import {
  type HrisApiCredentials,
  type HrisApiSettings,
  type HrisConnection,
  type HrisProvider,
  hasHrisApi,
  hrisApiCredentialFields,
  InvalidInputError,
} from '@tandem/core';
import { type ApiUrlPolicy, guardedHttp, type HrisApiClient, hrisApiClients } from '@tandem/integrations';
import { checkTarget, UnsafeUrlError } from '@tandem/webhooks/ssrf';
import type { HrisApiContext } from './ports.ts';

/** AWS's policy where the host gave none: https to public addresses only. */
const strict: ApiUrlPolicy = { allowInsecureUrls: false };
const policyOf = (ctx: HrisApiContext) => ctx.hrisApi?.urlPolicy ?? strict;

/** Providers whose API cannot be found without the account (company domain, company, tenant). */
const needsAccount: Partial<Record<HrisProvider, string>> = {
  bamboohr: "BambooHR's company domain",
  gusto: "Gusto's company uuid",
  workday: "the Workday tenant (or api.baseUrl, the tenant's Human_Resources endpoint)",
};

/**
 * Checks a connection's API access as given: credentials only for providers with an API, every
 * credential field the provider needs, the account where the API needs one, and a base URL that
 * passes the webhooks' SSRF guard (loopback only where the host allows it: locally and in tests).
 */
export async function assertApiAccess(
  ctx: HrisApiContext,
  provider: HrisProvider,
  credentials: HrisApiCredentials | undefined,
  settings: HrisApiSettings | undefined,
): Promise<void> {
  if (credentials === undefined) return;
  if (!hasHrisApi(provider))
    throw new InvalidInputError(`Tandem calls no API of ${provider} connections`, [
      { field: '/apiCredentials', message: `must be left out for ${provider}` },
    ]);
  const missing = hrisApiCredentialFields[provider].filter((field) => !credentials[field]);
  if (missing.length)
    throw new InvalidInputError(`A ${provider} API needs ${missing.join(' and ')}`, [
      ...missing.map((field) => ({
        field: `/apiCredentials/${field}`,
        message: `is required for ${provider}`,
      })),
    ]);
  const account = needsAccount[provider];
  if (account && !settings?.account && !settings?.baseUrl)
    throw new InvalidInputError(`A ${provider} API needs ${account}`, [
      { field: '/api/account', message: `is required for ${provider}` },
    ]);
  if (settings?.baseUrl) {
    const policy = policyOf(ctx);
    try {
      await checkTarget(settings.baseUrl, {
        allowInsecure: policy.allowInsecureUrls,
        resolve: policy.resolveHost,
      });
    } catch (error) {
      if (!(error instanceof UnsafeUrlError)) throw error;
      const reason = error.errors[0]?.message ?? 'not allowed';
      throw new InvalidInputError(`api.baseUrl is not allowed: ${reason}`, [
        { field: '/api/baseUrl', message: reason },
      ]);
    }
  }
}

/**
 * The provider's API client for a connection, calling out through the SSRF guard; credentials the
 * provider rotates (Gusto's tokens) are kept on the connection as they change.
 */
export function apiClientOf(
  ctx: HrisApiContext,
  connection: HrisConnection,
  credentials: HrisApiCredentials | undefined,
): HrisApiClient | undefined {
  if (!credentials || !hasHrisApi(connection.provider)) return undefined;
  return hrisApiClients[connection.provider]({
    credentials,
    settings: connection.api ?? {},
    mapping: connection.fieldMapping,
    http: guardedHttp(policyOf(ctx)),
    now: ctx.clock,
    credentialStore: {
      save: (next, previous) => ctx.store.hrisConnections.rotateApiCredentials(connection.id, previous, next),
      reload: async () => (await ctx.store.hrisConnections.getWithSecrets(connection.id)).apiCredentials,
    },
  });
}
