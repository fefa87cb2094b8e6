import type { KMSClient } from '@aws-sdk/client-kms';
import { SecretSealer } from '@tandem/store';
import { lazy } from './lazy.ts';
import { traced } from './powertools.ts';

/**
 * The sealer of a function that keeps secrets (SEALING_KEY_ARN). The KMS client is a chunk of its
 * own, loaded by the first seal or open: most invocations touch no secret, and a cold start pays
 * nothing. `client`: a stand-in for KMS in tests.
 */
export function kmsSealer(keyArn: string, client?: Pick<KMSClient, 'send'>): SecretSealer {
  const keys = lazy(async () =>
    (await import('./kms-data-keys.ts')).kmsDataKeys(keyArn, client ? { client } : { wrap: traced }),
  );
  return new SecretSealer({
    generate: async () => (await keys()).generate(),
    unwrap: async (wrapped) => (await keys()).unwrap(wrapped),
  });
}
