import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';

const retentionDays = new Set<number>(
  Object.values(RetentionDays).filter((value): value is number => typeof value === 'number'),
);

const throttle = z.strictObject({
  /** Steady-state requests per second. */
  rateLimit: z.number().positive(),
  burstLimit: z.number().int().positive(),
});

const reserved = z.number().int().min(1);

/**
 * Reserved concurrency per function: a cap on the background functions, so that a burst of
 * deliveries or matching runs cannot take the executions the API needs, and a floor for the API
 * and its authorizer. Lambda keeps 100 of the account's concurrency (1,000 by default) unreserved,
 * so one stage reserves at most 900; cdk.json keeps dev, staging and prod together under that,
 * in case they share an account.
 */
const concurrency = z
  .strictObject({
    api: reserved,
    authorizer: reserved,
    /** One execution per stream shard is all the relay uses. */
    webhookRelay: reserved,
    /** Also the delivery queue's event source maximum, so SQS never hands it more than it may run. */
    webhookDelivery: reserved.min(2),
    /** ScoreChunk: each run scores up to 10 chunks at once (workflows scoreConcurrency). */
    matchingScore: reserved,
    /** Each of the other matching steps (snapshot, solve, stage, publish, record failure). */
    matchingStep: reserved,
    /** Two secrets rotate on the same schedule, one step at a time each. */
    secretRotation: reserved,
    /** The scheduled job: a pass a minute, and one overlapping pass at most. */
    scheduledJob: reserved,
    /** One execution per stream shard, like the relay. */
    eventReactions: reserved,
    /** Also the HRIS queue's event source maximum: employees apply side by side up to it. */
    hrisWorker: reserved.min(2),
    /** Each step of the recognition workflow (evaluate, grant, certify, announce, record failure). */
    recognitionStep: reserved,
  })
  .refine(
    (c) =>
      c.api +
        c.authorizer +
        c.webhookRelay +
        c.webhookDelivery +
        c.matchingScore +
        5 * c.matchingStep +
        c.secretRotation +
        c.scheduledJob +
        c.eventReactions +
        c.hrisWorker +
        5 * c.recognitionStep <=
      900,
    'reserves more than the 900 of an account’s default 1,000 that Lambda lets functions reserve',
  );

/** Everything that differs between dev, staging and prod. Lives in cdk.json context under `stages`. */
export const stageConfig = z.strictObject({
  /** Pins the stack to an account and region; without them the stack deploys to the CLI's defaults. */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
    .optional(),
  /** `retain` keeps the table, keys and logs when the stack or a resource is deleted. */
  removalPolicy: z.enum(['retain', 'destroy']),
  terminationProtection: z.boolean(),
  table: z.strictObject({
    deletionProtection: z.boolean(),
    pointInTimeRecovery: z.boolean(),
    encryption: z.enum(['aws-managed', 'customer-managed']),
  }),
  logRetentionDays: z
    .number()
    .int()
    .refine(
      (days) => retentionDays.has(days),
      'must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, ...)',
    ),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  /** X-Ray on API Gateway and both functions. */
  tracing: z.boolean(),
  /** The API function reaches tenant data only through the tenant data role (STS session tags). */
  tenantScopedCredentials: z.boolean(),
  api: z.strictObject({
    /** Stage-wide throttle: the ceiling for all tenants together. */
    throttle,
    /**
     * How long API Gateway reuses an authorizer verdict for the same Authorization header (0
     * disables). It bounds how long a revoked key or a suspended tenant keeps working (twice it at
     * worst, see packages/api/src/auth/cache.ts), hence at most a few seconds.
     */
    authorizerCacheSeconds: z.number().int().min(0).max(10),
    /** Browser origins allowed to call the API; no CORS at all when absent. */
    cors: z.strictObject({ allowOrigins: z.array(z.url()).min(1) }).optional(),
    /** AWS WAF web ACL (managed common rules and a per-IP rate limit) in front of the stage. */
    waf: z.strictObject({ ipRateLimitPer5Minutes: z.number().int().min(10) }).optional(),
  }),
  alarms: z.strictObject({
    /** Subscribed to the stage's alarm topic when set. */
    email: z.email().optional(),
    /** Share of requests answered with a 5xx over five minutes that raises the alarm. */
    serverErrorRate: z.number().gt(0).lt(1),
    /**
     * Age of the delivery queue's oldest job that raises the alarm. Jobs of a later retry wait in
     * the queue up to SQS's 15-minute delay, so a healthy queue holds jobs about that old.
     */
    webhookQueueAgeMinutes: z.number().int().min(16),
  }),
  concurrency,
});

export type StageConfig = z.infer<typeof stageConfig>;

export const stageNames = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof stageNames)[number];

const stages = z.strictObject({ dev: stageConfig, staging: stageConfig, prod: stageConfig });

/** Validates the `stages` context value; a typo in cdk.json fails the synth with the path to the field. */
export function readStages(context: unknown): Record<StageName, StageConfig> {
  const result = stages.safeParse(context);
  if (!result.success)
    throw new Error(`Invalid "stages" in cdk.json context:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** `-c stage=<name>` picks one stage; without it the app holds every stage's stack. */
export function selectStages(selected: unknown): StageName[] {
  if (selected === undefined) return [...stageNames];
  const result = z.enum(stageNames).safeParse(selected);
  if (!result.success)
    throw new Error(`Unknown stage ${JSON.stringify(selected)}: use one of ${stageNames.join(', ')}`);
  return [result.data];
}
