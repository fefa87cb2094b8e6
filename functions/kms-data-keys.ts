import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { DataKeySource } from '@tandem/store';

/**
 * Data keys from the stack's KMS key. The encryption context names the purpose, so a data key
 * made for sealing stored secrets opens nowhere else, and CloudTrail's entries say what each was for.
 */
const EncryptionContext = { purpose: 'tandem-stored-secrets' };

/**
 * `client`: a stand-in in tests, else a new client passed through `wrap` (the Tracer's capture,
 * which the caller's entry holds: importing it here would move it out of the entry's chunk).
 */
export function kmsDataKeys(
  keyArn: string,
  {
    client,
    wrap = (made) => made,
  }: { client?: Pick<KMSClient, 'send'>; wrap?: (client: KMSClient) => KMSClient },
): DataKeySource {
  const kms = client ?? wrap(new KMSClient({}));
  return {
    async generate() {
      const made = await kms.send(
        new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext }),
      );
      if (!made.Plaintext || !made.CiphertextBlob) throw new Error('KMS returned no data key');
      return { plaintext: made.Plaintext, wrapped: made.CiphertextBlob };
    },
    async unwrap(wrapped) {
      const opened = await kms.send(
        new DecryptCommand({ KeyId: keyArn, CiphertextBlob: wrapped, EncryptionContext }),
      );
      if (!opened.Plaintext) throw new Error('KMS returned no plaintext');
      return opened.Plaintext;
    },
  };
}
