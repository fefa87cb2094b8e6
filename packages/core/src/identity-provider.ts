import * as z from 'zod';
import { entityMeta, httpUrl, text } from './common.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';
import { EMAIL_CLAIM } from './token-rules.ts';

const claimName = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a claim name: 1–100 letters, digits, _ . : -')
  .meta({ maxLength: 100 });

const providerFields = {
  description: text(500).optional().meta({ example: 'Acme Okta (employees)' }),
  issuer: httpUrl({
    description:
      'The OIDC issuer, exactly as tokens carry it in `iss`. https only in AWS stages. Several organizations may trust one issuer; the audience tells their tokens apart.',
    example: 'https://acme.okta.com/oauth2/default',
  }),
  audience: text(500).meta({
    description: 'The `aud` that tokens for Tandem carry (the client id of your app at the issuer)',
    example: 'api://tandem',
  }),
  jwksUri: httpUrl({
    description:
      "Where the issuer's signing keys are. Omitted: read from the issuer's OIDC discovery document (`<issuer>/.well-known/openid-configuration`, `jwks_uri`).",
    example: 'https://acme.okta.com/oauth2/default/v1/keys',
  }).optional(),
  personClaim: claimName.default(EMAIL_CLAIM).meta({
    description:
      "The claim that identifies the person: `email` matches the person's email (case-insensitive; a token saying `email_verified: false` is refused); any other claim (`sub`, `oid`, `employee_id`) matches `person.externalIds[externalIdSystem]` exactly.",
    example: 'email',
  }),
  externalIdSystem: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be an externalIds key: 1–40 letters, digits, _ . -')
    .optional()
    .meta({
      description:
        'The key of `person.externalIds` the claim is matched against: required unless personClaim is email',
      example: 'okta',
      maxLength: 40,
    }),
};

type ClaimMapping = { personClaim: string; externalIdSystem?: string | undefined };

/** An email claim maps on email; any other claim needs the external id system it is matched in. */
function checkClaimMapping(value: ClaimMapping, ctx: z.RefinementCtx) {
  if (value.personClaim === EMAIL_CLAIM && value.externalIdSystem !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['externalIdSystem'],
      message: 'only with a personClaim other than email (email claims match the person’s email)',
    });
  if (value.personClaim !== EMAIL_CLAIM && value.externalIdSystem === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['externalIdSystem'],
      message: `required: the externalIds key that ${value.personClaim} is matched against`,
    });
}

export const identityProviderInput = z
  .strictObject(providerFields)
  .superRefine(checkClaimMapping)
  .meta({ id: 'IdentityProviderInput' });
export type IdentityProviderInput = z.infer<typeof identityProviderInput>;

export const identityProviderPatch = mergePatchSchema(providerFields).meta({ id: 'IdentityProviderPatch' });

export const identityProvider = z
  .strictObject({ id: idSchema('identityProvider'), ...providerFields, ...entityMeta })
  .superRefine(checkClaimMapping)
  .meta({ id: 'IdentityProvider' });
export type IdentityProvider = z.infer<typeof identityProvider>;
