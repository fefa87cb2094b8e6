import type { testApp } from './app.ts';

type App = ReturnType<typeof testApp>;

/**
 * A Bearer token with which a person of the tenant calls the API as a participant.
 *
 * SCAFFOLD while the OIDC work lands: the token is a marker that testApp's principal resolver
 * maps to a participant. It is replaced by a real JWT from a JWKS served on 127.0.0.1 and the
 * scaffold removed from testApp before any of this is called done.
 */
export async function participantToken(
  _app: App,
  tenant: { tenantId: string; key: string },
  personId: string,
): Promise<string> {
  return `scaffold-participant.${tenant.tenantId}.${personId}`;
}
