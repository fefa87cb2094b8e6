import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, test } from 'vitest';
import { type RotationEvent, rotationSteps } from '../../functions/secret-rotation.ts';
import { rotatingSecret, SECRET_REFRESH_MS } from '../../functions/secrets.ts';

/**
 * Secrets Manager cannot run locally: this double keeps one secret's versions and staging labels
 * and answers the six calls rotation and its readers make, as the service documents them
 * (moving AWSCURRENT gives the version it left AWSPREVIOUS).
 */
function secretsManagerDouble(initial: string, clock: () => number) {
  const versions = new Map([['v0', { value: initial, stages: ['AWSCURRENT'], created: new Date(0) }]]);
  let random = 0;
  const byStage = (stage: string) => [...versions].find(([, v]) => v.stages.includes(stage));
  const send = async (command: unknown): Promise<any> => {
    if (command instanceof DescribeSecretCommand)
      return { VersionIdsToStages: Object.fromEntries([...versions].map(([id, v]) => [id, [...v.stages]])) };
    if (command instanceof GetRandomPasswordCommand) return { RandomPassword: `random-value-${++random}` };
    if (command instanceof GetSecretValueCommand) {
      const { VersionId, VersionStage } = command.input;
      const found = VersionId ? [VersionId, versions.get(VersionId)] : byStage(VersionStage!);
      const version = found?.[1] as { value: string; stages: string[]; created: Date } | undefined;
      if (!version?.value || (VersionStage && !version.stages.includes(VersionStage)))
        throw new ResourceNotFoundException({ message: 'no such version', $metadata: {} });
      return { SecretString: version.value, CreatedDate: version.created };
    }
    if (command instanceof PutSecretValueCommand) {
      const { ClientRequestToken, SecretString, VersionStages } = command.input;
      versions.set(ClientRequestToken!, {
        value: SecretString!,
        stages: VersionStages!,
        created: new Date(clock()),
      });
      return {};
    }
    if (command instanceof UpdateSecretVersionStageCommand) {
      const { MoveToVersionId, RemoveFromVersionId } = command.input;
      for (const version of versions.values())
        version.stages = version.stages.filter((s) => s !== 'AWSPREVIOUS');
      const old = versions.get(RemoveFromVersionId!)!;
      old.stages = [...old.stages.filter((s) => s !== 'AWSCURRENT'), 'AWSPREVIOUS'];
      versions.get(MoveToVersionId!)!.stages = ['AWSCURRENT'];
      return {};
    }
    throw new Error(`unexpected ${String(command)}`);
  };
  /** What Secrets Manager does when a rotation starts: an empty AWSPENDING version. */
  const startRotation = (token: string) =>
    versions.set(token, { value: '', stages: ['AWSPENDING'], created: new Date(0) });
  return { client: { send } as any, startRotation, versions };
}

const steps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

describe('rotating a secret with an overlap', () => {
  test('the functions accept the previous value until the next rotation, and issue the new one once all have read it', async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const sm = secretsManagerDouble('first-value', () => now);
    const secret = await rotatingSecret('arn:aws:secretsmanager:eu-west-1:1:secret:x', {
      client: sm.client,
      now: () => now,
    });
    expect(secret.values()).toEqual(['first-value']);

    const rotate = rotationSteps(sm.client);
    const rotateAll = async (token: string) => {
      sm.startRotation(token);
      for (const Step of steps) {
        const event: RotationEvent = { SecretId: 'x', ClientRequestToken: token, Step };
        await rotate(event);
        await rotate(event); // Secrets Manager may repeat a step.
      }
    };
    now += SECRET_REFRESH_MS / 2;
    await rotateAll('v1');
    expect(sm.versions.get('v1')).toMatchObject({ value: 'random-value-1', stages: ['AWSCURRENT'] });
    expect(sm.versions.get('v0')!.stages).toEqual(['AWSPREVIOUS']);
    // Read within the refresh interval: still the old value alone.
    await secret.fresh();
    expect(secret.values()).toEqual(['first-value']);

    // Re-read: both accepted, the old one still issued while other functions may not know the new one.
    now += SECRET_REFRESH_MS / 2 + 1;
    await secret.fresh();
    expect(secret.values()).toEqual(['first-value', 'random-value-1']);
    // Once every function has re-read since the rotation, the new value is issued.
    now += SECRET_REFRESH_MS + 1;
    await secret.fresh();
    expect(secret.values()).toEqual(['random-value-1', 'first-value']);

    // The next rotation ends the overlap: the first value is no longer accepted anywhere.
    await rotateAll('v2');
    now += 2 * SECRET_REFRESH_MS + 2;
    await secret.fresh();
    expect(secret.values()).toEqual(['random-value-2', 'random-value-1']);
  });

  test('a step for a version that is not pending refuses', async () => {
    const sm = secretsManagerDouble('first-value', () => 0);
    await expect(
      rotationSteps(sm.client)({ SecretId: 'x', ClientRequestToken: 'unknown', Step: 'createSecret' }),
    ).rejects.toThrow('not part of a rotation');
  });
});
