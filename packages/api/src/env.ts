import type {
  Actor,
  ActorContext,
  CertificateFiles,
  HrisQueue,
  IdentityContext,
  MatchingContext,
  RateLimitBinding,
  RecognitionContext,
  RecognitionStarter,
  WebhookContext,
  WorkflowStarter,
} from '@tandem/app';
import type {
  CursorCodec,
  CursorSecretSource,
  Db,
  IdempotencyStore,
  SecretSealer,
  TenantStore,
} from '@tandem/store';
import type { DeliveryPolicy, DeliveryQueue } from '@tandem/webhooks';
import type { Context } from 'hono';
import type { UrlPolicy } from './auth/guarded-fetch.ts';
import type { Principal, Verdict } from './auth/principal.ts';
import type { TokenBuckets } from './http/rate-limit.ts';

/** Structured logging, as Powertools Logger does it in AWS; the app never imports Powertools. */
export interface AppLogger {
  info(message: string, ...fields: Record<string, unknown>[]): void;
  error(message: string, ...fields: Record<string, unknown>[]): void;
}

/** Counts what ops teams watch: CloudWatch metrics (EMF) in AWS, nothing unless given locally. */
export interface MetricsSink {
  count(name: string, dimensions: Record<string, string>): void;
}

/** What the app needs from its host (the local server or the Lambda handler). */
export interface AppDeps {
  /** Table access outside tenant partitions: the tenant directory and operator idempotency. */
  platformDb: Db;
  /** Table access for one tenant. In AWS this client carries credentials scoped to the tenant's keys. */
  tenantDb: (tenantId: string) => Db | Promise<Db>;
  /**
   * The cursor secret, or the current and the previous one during a rotation's overlap; the Lambda
   * handler gives a function that reads them on first use.
   */
  cursorSecret: CursorSecretSource;
  /** Seals the secrets Tandem keeps to use again (KMS in AWS, the data folder's key locally). */
  sealer: SecretSealer;
  /** Local: runs the authorizer on the request. AWS: reads what the Lambda authorizer put in the context. */
  resolvePrincipal: (c: Context) => Promise<Verdict | null>;
  logger: AppLogger;
  /** Receives `ClientErrors` and `ServerErrors` counts by route. */
  metrics?: MetricsSink;
  /** Outbound webhooks: where delivery jobs go (SQS in AWS, the table locally) and how they behave. */
  webhooks: { queue: DeliveryQueue; policy: DeliveryPolicy };
  /**
   * Which identity provider URLs may be configured: the SSRF policy the authorizer fetches them
   * under. Defaults to the webhooks' policy, as both call out to URLs a tenant chose.
   */
  identity?: { urlPolicy: UrlPolicy };
  /** Where verified HRIS changes wait for the worker: SQS FIFO in AWS, the table locally. */
  hris: { queue: HrisQueue };
  /** Starts and stops matching-run workflows: Step Functions in AWS, the local runner under npm start. */
  matching: { starter: WorkflowStarter };
  /** Starts recognition workflows and reads the certificates they render (S3 in AWS, a folder locally). */
  recognition: { starter: RecognitionStarter; certificates: CertificateFiles };
  now?: () => Date;
  /**
   * Locally: the per-tenant token buckets every request passes, which tier changes also bind.
   * Absent in AWS, where API Gateway's usage plans limit rates before the function runs.
   */
  rateLimits?: TokenBuckets;
  /** In AWS: moves a tenant's API Gateway key to its tier's usage plan. Defaults to `rateLimits`. */
  usagePlans?: RateLimitBinding;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal | null;
    /** Why a valid participant token was refused (see Unmapped): the 403 a missing principal becomes. */
    refusal: string | undefined;
    tenantId: string;
    store: TenantStore;
    /** `caller` namespaces a participant's Idempotency-Keys, so nobody else replays their responses. */
    idempotency: { store: IdempotencyStore; scope: string; caller?: string };
    /** Who acts on the tenant's data (set by requireActor): an admin key or a participant. */
    actor: Actor;
    cursors: CursorCodec;
    deps: AppDeps;
  };
}

/** The request's clock (injectable for tests). */
export const nowOf = (c: Context<AppEnv>): Date => c.get('deps').now?.() ?? new Date();

/** The use cases' context of the calling tenant (set by requireScope): its store, clock and ports. */
export const tenantContext = (c: Context<AppEnv>): MatchingContext & WebhookContext => ({
  tenantId: c.get('tenantId'),
  store: c.get('store'),
  clock: () => nowOf(c),
  workflows: c.get('deps').matching.starter,
  webhooks: c.get('deps').webhooks,
});

/** Identity provider use cases: the tenant's context and the SSRF policy their URLs must pass. */
export const identityContext = (c: Context<AppEnv>): IdentityContext => ({
  tenantId: c.get('tenantId'),
  store: c.get('store'),
  clock: () => nowOf(c),
  identity: { urlPolicy: c.get('deps').identity?.urlPolicy ?? c.get('deps').webhooks.policy },
});

/** HRIS connection use cases: the tenant's context and the SSRF policy calls to the provider's API pass. */
export const hrisApiContext = (c: Context<AppEnv>) => ({
  ...tenantContext(c),
  hrisApi: { urlPolicy: c.get('deps').identity?.urlPolicy ?? c.get('deps').webhooks.policy },
});

/** Recognition use cases: the actor's context (set by requireActor or requireScope) and the recognition ports. */
export const recognitionContext = (c: Context<AppEnv>): ActorContext & RecognitionContext => ({
  ...actorContext(c),
  recognition: c.get('deps').recognition,
});

/** The context of use cases that admins and participants share (set by requireActor). */
export const actorContext = (c: Context<AppEnv>): ActorContext => ({
  tenantId: c.get('tenantId'),
  store: c.get('store'),
  clock: () => nowOf(c),
  actor: c.get('actor'),
});

/**
 * The API key acting on an admin-only route (after requireScope), for changes that record who
 * made them (a moderation, a resolved rematch request).
 */
export function adminKeyId(c: Context<AppEnv>): string {
  const principal = c.get('principal');
  if (principal?.kind !== 'tenant') throw new Error('adminKeyId needs requireScope before it');
  return principal.keyId;
}
