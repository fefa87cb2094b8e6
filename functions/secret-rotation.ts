import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { logger } from './powertools.ts';

/** What Secrets Manager sends a rotation function, once per step. */
export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

/** The length of the generated operator key and cursor secret, as the stack first generates them. */
const LENGTH = 64;

/**
 * Rotates the operator key and the cursor secret. Both are Tandem's own random strings, with no
 * other system to update (setSecret and testSecret have nothing to do): the new value becomes
 * AWSCURRENT, the old one AWSPREVIOUS, and the functions accept both (secrets.ts rotatingSecret),
 * so the overlap lasts until the next rotation. Every step may run twice: each checks first.
 */
export function rotationSteps(client: Pick<SecretsManagerClient, 'send'>) {
  return async ({ SecretId, ClientRequestToken: token, Step }: RotationEvent): Promise<void> => {
    const { VersionIdsToStages: versions = {} } = await client.send(new DescribeSecretCommand({ SecretId }));
    const stages = versions[token];
    if (!stages) throw new Error(`Version ${token} of ${SecretId} is not part of a rotation`);
    if (stages.includes('AWSCURRENT')) return;
    if (!stages.includes('AWSPENDING')) throw new Error(`Version ${token} of ${SecretId} is not AWSPENDING`);

    if (Step === 'createSecret') {
      const pending = await client
        .send(new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }))
        .catch((error: unknown) => {
          if (error instanceof ResourceNotFoundException) return undefined;
          throw error;
        });
      if (pending?.SecretString) return;
      const { RandomPassword } = await client.send(
        new GetRandomPasswordCommand({ PasswordLength: LENGTH, ExcludePunctuation: true }),
      );
      await client.send(
        new PutSecretValueCommand({
          SecretId,
          ClientRequestToken: token,
          SecretString: RandomPassword,
          VersionStages: ['AWSPENDING'],
        }),
      );
    } else if (Step === 'finishSecret') {
      const current = Object.entries(versions).find(([, labels]) => labels.includes('AWSCURRENT'))?.[0];
      await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          ...(current ? { RemoveFromVersionId: current } : {}),
        }),
      );
    }
  };
}

const rotate = rotationSteps(new SecretsManagerClient({}));

export async function handler(event: RotationEvent, context: Context): Promise<void> {
  logger.addContext(context);
  logger.info('rotation step', { secretId: event.SecretId, step: event.Step });
  await rotate(event);
}
