import { z } from 'zod';

/** Environment the CDK stack gives the functions, validated once at cold start. */
const environment = z.object({
  TABLE_NAME: z.string().min(1),
  /** SHA-256 (hex) of the operator key; without it the operator routes refuse everyone. */
  OPERATOR_KEY_HASH: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  CURSOR_SECRET: z.string().min(16),
});

export function readEnvironment() {
  const result = environment.safeParse(process.env);
  if (!result.success) throw new Error(`Invalid function environment: ${z.prettifyError(result.error)}`);
  return result.data;
}
