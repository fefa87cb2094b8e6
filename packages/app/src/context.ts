import type { TenantTier } from '@tandem/core';
import type { Clock, TenantStore, TenantsRepository } from '@tandem/store';
import type { DeliveryPolicy, DeliveryQueue } from '@tandem/webhooks';

/**
 * What every use case of one tenant runs against: the tenant (from the authenticated principal,
 * never from input), its repositories, and the clock that stamps entities and events alike.
 */
export interface TenantContext {
  tenantId: string;
  store: TenantStore;
  clock: Clock;
}

/**
 * Who acts: an admin (an API key holding the route's scope) sees the whole tenant; a participant
 * sees only what is theirs, and anything else of the tenant is reported as not found.
 */
export type Actor = { kind: 'admin' } | { kind: 'participant'; personId: string };

/** Use cases that admins and participants share. */
export interface ActorContext extends TenantContext {
  actor: Actor;
}

/** A matching run for the workflow to execute: the reference and the flags its Choice states read. */
export interface MatchRunStart {
  tenantId: string;
  programId: string;
  runId: string;
  autoPublish: boolean;
  dryRun: boolean;
  /** `publish` runs only the Publish step of an already reviewed run. */
  mode?: 'match' | 'publish';
}

/** Starts and stops executions: Step Functions in AWS, the local runner under npm start. */
export interface WorkflowStarter {
  start(run: MatchRunStart): Promise<{ executionId: string }>;
  stop(executionId: string): Promise<void>;
}

/** Outbound webhooks: where delivery jobs go (SQS in AWS, the table locally) and how they behave. */
export interface WebhookPorts {
  queue: DeliveryQueue;
  policy: DeliveryPolicy;
}

/**
 * Calls out to URLs an admin configured for an identity provider (discovery, JWKS) pass the same
 * SSRF guard as webhooks: https to public addresses in AWS, loopback only locally and in tests.
 */
export type UrlPolicy = Pick<DeliveryPolicy, 'allowInsecureUrls' | 'resolveHost'>;

export interface IdentityContext extends TenantContext {
  identity: { urlPolicy: UrlPolicy };
}

export interface MatchingContext extends TenantContext {
  workflows: WorkflowStarter;
}

export interface WebhookContext extends TenantContext {
  webhooks: WebhookPorts;
}

/** The operator's use cases: the tenant directory, outside every tenant partition. */
export interface PlatformContext {
  tenants: TenantsRepository;
  clock: Clock;
  /** Absent where the host limits no rates (most tests). */
  rateLimits?: RateLimitBinding;
}

/**
 * Puts a tenant under its tier's rate limits, at once and without a deploy: in AWS its API Gateway
 * API key moves to the tier's usage plan; locally the API's token buckets take the new tier.
 * Idempotent, so a failed call is repaired by repeating the change.
 */
export interface RateLimitBinding {
  bind(tenantId: string, tier: TenantTier): Promise<void>;
}

/**
 * A recognition workflow execution: the award it is about and, for a nomination, the nomination
 * whose decision it waits for (Evaluate reads its status).
 */
export interface RecognitionStart {
  tenantId: string;
  awardId: string;
  nominationId?: string;
  /** `decided` is the execution an admin's approval starts; the first one ended awaiting it. */
  mode?: 'evaluate' | 'decided';
}

/** Starts recognition workflows: Step Functions in AWS, the local runner under npm start. */
export interface RecognitionStarter {
  start(execution: RecognitionStart): Promise<{ executionId: string }>;
}

/** Where certificates are kept (S3 in AWS, a folder locally), as the API reads them. */
export interface CertificateFiles {
  read(key: string): Promise<Uint8Array>;
}

export interface RecognitionContext extends TenantContext {
  recognition: { starter: RecognitionStarter; certificates: CertificateFiles };
}
