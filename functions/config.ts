import { matchingSteps, recognitionSteps } from '@tandem/workflows/step-names';
// zod's functional build: only the checks used here are bundled and set up at init. The classic
// build costs a function several ms of CPU at every cold start; the authorizer, which needs no other
// schema, then loads none of it.
import * as z from 'zod/mini';

const arn = z.string().check(z.startsWith('arn:'));
const nonEmpty = z.string().check(z.minLength(1));
/** The KMS key that seals stored secrets (webhook signing secrets, HR systems' keys and credentials): the functions that keep them. */
const sealingKeyArn = arn;

/**
 * Environment the CDK stack gives each function, validated once at cold start. Each schema is
 * built when its function reads it: a function builds its own, not the nine others'.
 */
const environments = {
  api: () =>
    z.object({
      TABLE_NAME: nonEmpty,
      CURSOR_SECRET_ARN: arn,
      SEALING_KEY_ARN: sealingKeyArn,
      /** Set when the stage isolates tenants in IAM: tenant requests then use this role's scoped credentials. */
      TENANT_ROLE_ARN: z.optional(arn),
      /** Comma-separated browser origins; absent when the stage configures no CORS. */
      CORS_ALLOW_ORIGINS: z.optional(nonEmpty),
      /** The webhook delivery queue: the API queues test pings, redeliveries and recoveries. */
      WEBHOOK_QUEUE_URL: z.url(),
      /** The matching-run state machine: the API starts and stops runs on it. */
      MATCHING_STATE_MACHINE_ARN: arn,
      /** Usage plans are named `<prefix><tier>` and tenants' usage keys `<prefix><tenantId>`. */
      USAGE_PLAN_NAME_PREFIX: nonEmpty,
      /** The HRIS FIFO queue: the webhook route queues verified employee changes there. */
      HRIS_QUEUE_URL: z.url(),
      /** The recognition state machine: nominations and approvals start executions on it. */
      RECOGNITION_STATE_MACHINE_ARN: arn,
      /** Where certificates are kept: the API serves them. */
      CERTIFICATE_BUCKET: nonEmpty,
    }),
  hrisWorker: () =>
    z.object({
      TABLE_NAME: nonEmpty,
      CURSOR_SECRET_ARN: arn,
      SEALING_KEY_ARN: sealingKeyArn,
    }),
  /** One function per step of the recognition workflow, all from functions/recognition-step.ts. */
  recognitionStep: () =>
    z.object({
      RECOGNITION_STEP: z.enum(recognitionSteps),
      TABLE_NAME: nonEmpty,
      CURSOR_SECRET_ARN: arn,
      CERTIFICATE_BUCKET: nonEmpty,
      /** The API's base URL, which the certificate links in `recognition.awarded` start with. */
      PUBLIC_API_URL: z.url(),
    }),
  /** One function per step of the matching run, all from functions/matching-step.ts. */
  matchingStep: () =>
    z.object({
      MATCHING_STEP: z.enum(matchingSteps),
      TABLE_NAME: nonEmpty,
      CURSOR_SECRET_ARN: arn,
      /** Bucket of the run's large intermediate results (the enrollment snapshot, the solver's result). */
      MATCHING_BUCKET: nonEmpty,
    }),
  webhookRelay: () =>
    z.object({
      TABLE_NAME: nonEmpty,
      WEBHOOK_QUEUE_URL: z.url(),
    }),
  webhookDelivery: () =>
    z.object({
      TABLE_NAME: nonEmpty,
      CURSOR_SECRET_ARN: arn,
      SEALING_KEY_ARN: sealingKeyArn,
      WEBHOOK_QUEUE_URL: z.url(),
    }),
  /** The scheduled job (EventBridge Scheduler → Lambda): every tenant's due timers. */
  scheduledJob: () =>
    z.object({
      TABLE_NAME: nonEmpty,
      CURSOR_SECRET_ARN: arn,
      SEALING_KEY_ARN: sealingKeyArn,
    }),
  /** Reactions to domain events, on the table's stream beside the webhook relay. */
  eventReactions: () =>
    z.object({
      TABLE_NAME: nonEmpty,
      CURSOR_SECRET_ARN: arn,
      /** Reactions start recognition workflows (a milestone's award) on it. */
      RECOGNITION_STATE_MACHINE_ARN: arn,
    }),
  authorizer: () =>
    z.object({
      TABLE_NAME: nonEmpty,
      OPERATOR_KEY_SECRET_ARN: arn,
      /** The stage's API Gateway authorizer cache TTL, which bounds the in-process key cache too. */
      AUTHORIZER_CACHE_SECONDS: z.coerce.number().check(z.multipleOf(1), z.minimum(0)),
      /** The API Gateway key that operator calls and unmapped tokens count against (see usage-plans.ts). */
      PLATFORM_USAGE_KEY: z.string().check(z.minLength(20)),
    }),
};

export function readEnvironment<F extends keyof typeof environments>(
  fn: F,
): z.infer<ReturnType<(typeof environments)[F]>> {
  const result = z.safeParse(environments[fn](), process.env);
  if (!result.success)
    throw new Error(`Invalid ${fn} function environment: ${z.prettifyError(result.error)}`);
  return result.data as z.infer<ReturnType<(typeof environments)[F]>>;
}
