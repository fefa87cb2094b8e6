import * as z from 'zod';
import { entityMeta, isoDate, isoDateTime, text } from './common.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';

/**
 * HR systems that push employee changes. `standard` is any sender signing with Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`) that posts Tandem's own employee schema
 * (hrisStandardEvent). See docs/hris.md for each provider's credential and what Tandem applies.
 */
export const hrisProviders = [
  'standard',
  'bamboohr',
  'hibob',
  'gusto',
  'merge',
  'finch',
  'personio',
  'rippling',
  'workday',
] as const;
export type HrisProvider = (typeof hrisProviders)[number];

/**
 * Providers that sign with a key they issue (the admin pastes it in); the others authenticate with
 * a static token Tandem generates, which the admin configures at the provider. A token is kept only
 * as its SHA-256 hash; an HMAC key must be kept as it is to compute signatures (the table is
 * encrypted at rest, and the key is a storage-only attribute never returned after creation).
 */
export const hrisKeyIssuedBy: Record<HrisProvider, 'provider' | 'tandem'> = {
  standard: 'tandem',
  bamboohr: 'provider',
  hibob: 'provider',
  gusto: 'provider',
  merge: 'provider',
  finch: 'provider',
  personio: 'tandem',
  rippling: 'tandem',
  workday: 'tandem',
};

/**
 * Providers whose API Tandem calls (thin webhooks fetch the employee; reconciliation pulls the
 * list), and the credential fields each one takes. Standard senders have no API Tandem knows.
 */
export const hrisApiCredentialFields = {
  rippling: ['token'],
  workday: ['username', 'password'],
  merge: ['token', 'accountToken'],
  bamboohr: ['token'],
  hibob: ['username', 'password'],
  finch: ['token'],
  gusto: ['clientId', 'clientSecret', 'refreshToken'],
  personio: ['clientId', 'clientSecret'],
} as const satisfies Partial<Record<HrisProvider, readonly string[]>>;
export type HrisApiProvider = keyof typeof hrisApiCredentialFields;
export const hasHrisApi = (provider: HrisProvider): provider is HrisApiProvider =>
  provider in hrisApiCredentialFields;

/** Workday is poll-first (its pokes are optional), so it reconciles far more often by default. */
export const defaultReconcileMinutes = (provider: HrisProvider) => (provider === 'workday' ? 30 : 24 * 60);

const credentialText = z
  .string()
  .min(1)
  .max(2000)
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII');

/** API credentials as given: secrets, kept only as a storage-only attribute and never returned. */
export const hrisApiCredentials = z
  .strictObject({
    token: credentialText.optional().meta({
      description:
        'API token (rippling, bamboohr), API key (merge), access token (finch; gusto, optional: the current one, used until it expires)',
    }),
    refreshToken: credentialText.optional().meta({
      description:
        "Gusto's OAuth refresh token: exchanged for an access token whenever the current one has expired (they last two hours). Each exchange returns a new refresh token and spends the old one; Tandem keeps the new one in place of what was given.",
    }),
    accountToken: credentialText.optional().meta({ description: "Merge's linked account token" }),
    username: credentialText
      .optional()
      .meta({ description: 'Integration user (workday), service user id (hibob)' }),
    password: credentialText.optional(),
    clientId: credentialText
      .optional()
      .meta({ description: "OAuth client id (personio; gusto: your app's)" }),
    clientSecret: credentialText
      .optional()
      .meta({ description: "OAuth client secret (personio; gusto: your app's)" }),
  })
  .meta({
    id: 'HrisApiCredentials',
    writeOnly: true,
    description:
      "Credentials for the provider's API, per provider: rippling `token`; workday `username` + `password`; merge `token` + `accountToken`; bamboohr `token`; hibob `username` + `password`; finch `token`; gusto `clientId` + `clientSecret` + `refreshToken` (and `token`, the current access token, if you have one); personio `clientId` + `clientSecret`. Write-only: never returned, logged or kept in idempotency replays.",
  });
export type HrisApiCredentials = z.infer<typeof hrisApiCredentials>;

/** The non-secret side of a connection's API access. */
export const hrisApiSettings = z
  .strictObject({
    account: text(200).optional().meta({
      description:
        "Which account of the provider: BambooHR's company domain, Workday's tenant, Gusto's company uuid",
    }),
    baseUrl: z.url().max(500).optional().meta({
      description:
        "Overrides the provider's API address (a sandbox or regional host). It passes the same SSRF guard as webhook URLs, at setup and before every call.",
    }),
    reconcileEveryMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .optional()
      .meta({
        description:
          'How often reconciliation pulls the employees (default: daily; Workday every 30 minutes)',
      }),
  })
  .meta({ id: 'HrisApiSettings' });
export type HrisApiSettings = z.infer<typeof hrisApiSettings>;

/** Which field of the provider's record holds each snapshot field, where an organization renamed it. */
export const hrisFieldMapping = z
  .strictObject({
    department: text(120).optional(),
    title: text(120).optional(),
    location: text(120).optional(),
    managerExternalId: text(120).optional(),
    email: text(120).optional(),
  })
  .meta({
    id: 'HrisFieldMapping',
    description:
      'Which provider field holds a snapshot field, e.g. `{ "department": "Division" }` for a BambooHR field-based webhook, or a dotted path into Merge\'s employee (`custom_fields.cost_center`).',
  });
export type HrisFieldMapping = z.infer<typeof hrisFieldMapping>;

export const hrisConnectionStatuses = ['active', 'paused'] as const;

const connectionFields = {
  name: text(200).optional(),
  status: z.enum(hrisConnectionStatuses).default('active').meta({
    description: 'A paused connection answers its webhooks 503, so the provider retries them later',
  }),
  fieldMapping: hrisFieldMapping.default({}),
  api: hrisApiSettings.optional(),
};

export const hrisConnectionInput = z
  .strictObject({
    provider: z.enum(hrisProviders),
    ...connectionFields,
    secret: z
      .string()
      .min(8)
      .max(500)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces, as providers issue keys')
      .optional()
      .meta({
        description:
          'The signing key the provider issued (bamboohr, hibob, gusto, merge, finch: required). For standard, personio, rippling and workday leave it out: Tandem generates one, shown once.',
        writeOnly: true,
      }),
    apiCredentials: hrisApiCredentials.optional(),
  })
  .meta({ id: 'HrisConnectionInput' });
export type HrisConnectionInput = z.infer<typeof hrisConnectionInput>;

/** `apiCredentials` replaces the stored credentials as a whole (write-only: nothing to merge into); null removes them. */
export const hrisConnectionPatch = mergePatchSchema(connectionFields)
  .extend({ apiCredentials: hrisApiCredentials.nullable().optional() })
  .meta({ id: 'HrisConnectionPatch' });

export const hrisSecretSummary = z
  .strictObject({
    id: z.string().max(40),
    preview: z.string().max(40).meta({ description: 'The first characters, to recognize it' }),
    createdAt: isoDateTime,
  })
  .meta({ id: 'HrisSecretSummary' });

export const hrisConnection = z
  .strictObject({
    id: idSchema('hrisConnection'),
    provider: z.enum(hrisProviders),
    ...connectionFields,
    secrets: z
      .array(hrisSecretSummary)
      .max(3)
      .meta({ description: 'Every secret that verifies deliveries (several during a rotation)' }),
    apiConnected: z.boolean().optional().meta({
      description: 'Whether Tandem holds API credentials for the provider (they are never returned)',
    }),
    ...entityMeta,
  })
  .meta({ id: 'HrisConnection' });
export type HrisConnection = z.infer<typeof hrisConnection>;
export type HrisSecretSummary = z.infer<typeof hrisSecretSummary>;

/** A connection's secrets as stored: `value` for an HMAC key, `hash` for a token. */
export interface HrisSecret extends HrisSecretSummary {
  value?: string;
  hash?: string;
}

export const MAX_HRIS_SECRETS = 3;

/**
 * One employee as an HR system describes them, whatever the provider's payload looked like.
 * Absent fields are unknown (a thin or partial payload), not cleared.
 */
export interface EmployeeSnapshot {
  externalId: string;
  name?: string;
  email?: string;
  department?: string;
  title?: string;
  location?: string;
  managerExternalId?: string;
  hireDate?: string;
  /** `terminated` with a terminationDate after today is a future-dated termination. */
  employment?: 'active' | 'terminated';
  terminationDate?: string;
}

/** What the worker applies: a snapshot and the source's time for it (event time, not delivery time). */
export interface EmployeeChange {
  snapshot: EmployeeSnapshot;
  sourceUpdatedAt: string;
}

/** Tandem's own employee schema, for `standard` connections. */
export const hrisStandardEmployee = z
  .strictObject({
    externalId: text(200),
    name: text(200).optional(),
    email: z.email().max(320).optional(),
    department: text(120).optional(),
    title: text(200).optional(),
    location: text(200).optional(),
    managerExternalId: text(200).optional(),
    hireDate: isoDate.optional(),
    employment: z.enum(['active', 'terminated']).optional(),
    terminationDate: isoDate.optional(),
  })
  .meta({ id: 'HrisStandardEmployee' });

export const hrisStandardEvent = z
  .looseObject({
    type: z.string().max(100),
    timestamp: isoDateTime,
    data: z.unknown().optional(),
  })
  .meta({
    id: 'HrisStandardEvent',
    description:
      'The body a `standard` sender posts: `employee.updated` (also `.created`) with `data` an HrisStandardEmployee; `timestamp` is when the change happened at the source. Other types are acknowledged and ignored.',
  });

export const hrisLogOutcomes = [
  'accepted',
  'duplicate',
  'handshake',
  'ignored',
  'rejected',
  'applied',
  'skipped',
  'reconciled',
  'failed',
] as const;

export const hrisLogEntry = z
  .strictObject({
    id: idSchema('hrisLogEntry'),
    connectionId: idSchema('hrisConnection'),
    at: isoDateTime,
    outcome: z.enum(hrisLogOutcomes).meta({
      description:
        'accepted: verified and queued; duplicate: a redelivery, acknowledged; handshake: a ping or verification; ignored: verified but nothing to apply (reason); rejected: signature, token or timestamp refused (401); applied: a person was changed; skipped: an employee change not applied (reason); reconciled: a reconciliation pass (its summary in reason); failed: a call to the provider API failed (reason)',
    }),
    eventType: z.string().max(100).optional(),
    externalId: z.string().max(200).optional(),
    personId: idSchema('person').optional(),
    reason: z.string().max(500).optional(),
  })
  .meta({ id: 'HrisLogEntry' });
export type HrisLogEntry = z.infer<typeof hrisLogEntry>;
