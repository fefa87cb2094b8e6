import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

// Apart from config.ts, which every function imports: a function that reads no secret at its cold
// start (the webhook relay, the delivery until its first recovery) loads no Secrets Manager client.

/** How often a warm function re-reads a rotating secret: a rotation reaches every function within it. */
export const SECRET_REFRESH_MS = 5 * 60_000;

export interface RotatingSecret {
  /** Every value to accept; the first is the one to issue with (seal cursors, hand out). */
  values(): readonly string[];
  /** Re-reads the secret if the last read is older than SECRET_REFRESH_MS; call before each request. */
  fresh(): Promise<void>;
}

/**
 * A secret that Secrets Manager rotates (see secret-rotation.ts): its AWSCURRENT and AWSPREVIOUS
 * values, both accepted, so the previous value keeps working until the next rotation. For its
 * first SECRET_REFRESH_MS the new value is accepted but not yet issued: functions that have not
 * re-read the secret since the rotation know only the old one, and must still open what others issue.
 */
export async function rotatingSecret(
  secretArn: string,
  { client = new SecretsManagerClient({}), now = Date.now } = {},
): Promise<RotatingSecret> {
  const version = (VersionStage: string) =>
    client.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage })).catch((error: unknown) => {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    });
  const read = async () => {
    const [current, previous] = await Promise.all([version('AWSCURRENT'), version('AWSPREVIOUS')]);
    if (!current?.SecretString) throw new Error(`Secret ${secretArn} has no current string value`);
    const at = now();
    const old = previous?.SecretString;
    const young = (current.CreatedDate?.getTime() ?? 0) > at - SECRET_REFRESH_MS;
    const values = !old
      ? [current.SecretString]
      : young
        ? [old, current.SecretString]
        : [current.SecretString, old];
    return { values, at };
  };
  let state = await read();
  return {
    values: () => state.values,
    async fresh() {
      if (now() - state.at > SECRET_REFRESH_MS) state = await read();
    },
  };
}
