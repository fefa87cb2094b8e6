import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { matchingSteps } from '@tandem/workflows';
import * as z from 'zod';

const arn = z.string().startsWith('arn:');

/** Environment the CDK stack gives each function, validated once at cold start. */
const environments = {
  api: z.object({
    TABLE_NAME: z.string().min(1),
    CURSOR_SECRET_ARN: arn,
    /** Set when the stage isolates tenants in IAM: tenant requests then use this role's scoped credentials. */
    TENANT_ROLE_ARN: arn.optional(),
    /** Comma-separated browser origins; absent when the stage configures no CORS. */
    CORS_ALLOW_ORIGINS: z.string().min(1).optional(),
    /** The webhook delivery queue: the API queues test pings, redeliveries and recoveries. */
    WEBHOOK_QUEUE_URL: z.url(),
    /** The matching-run state machine: the API starts and stops runs on it. */
    MATCHING_STATE_MACHINE_ARN: arn,
    /** Usage plans are named `<prefix><tier>` and tenants' usage keys `<prefix><tenantId>`. */
    USAGE_PLAN_NAME_PREFIX: z.string().min(1),
  }),
  /** One function per step of the matching run, all from functions/matching-step.ts. */
  matchingStep: z.object({
    MATCHING_STEP: z.enum(matchingSteps),
    TABLE_NAME: z.string().min(1),
    CURSOR_SECRET_ARN: arn,
    /** Bucket of the run's large intermediate results (the enrollment snapshot, the solver's result). */
    MATCHING_BUCKET: z.string().min(1),
  }),
  webhookRelay: z.object({
    TABLE_NAME: z.string().min(1),
    CURSOR_SECRET_ARN: arn,
    WEBHOOK_QUEUE_URL: z.url(),
  }),
  webhookDelivery: z.object({
    TABLE_NAME: z.string().min(1),
    CURSOR_SECRET_ARN: arn,
    WEBHOOK_QUEUE_URL: z.url(),
  }),
  authorizer: z.object({
    TABLE_NAME: z.string().min(1),
    OPERATOR_KEY_SECRET_ARN: arn,
    /** The stage's API Gateway authorizer cache TTL, which bounds the in-process key cache too. */
    AUTHORIZER_CACHE_SECONDS: z.coerce.number().int().min(0),
    /** The API Gateway key that operator calls and unmapped tokens count against (see usage-plans.ts). */
    PLATFORM_USAGE_KEY: z.string().min(20),
  }),
};

export function readEnvironment<F extends keyof typeof environments>(
  fn: F,
): z.infer<(typeof environments)[F]> {
  const result = environments[fn].safeParse(process.env);
  if (!result.success)
    throw new Error(`Invalid ${fn} function environment: ${z.prettifyError(result.error)}`);
  return result.data as z.infer<(typeof environments)[F]>;
}

/**
 * Secrets stay out of the function configuration: read once per cold start, so a rotated value
 * reaches each function as its execution environments are recycled.
 */
export async function readSecret(secretArn: string): Promise<string> {
  const { SecretString } = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: secretArn }),
  );
  if (!SecretString) throw new Error(`Secret ${secretArn} has no string value`);
  return SecretString;
}
