import { type DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { LocalDataKeys } from '@tandem/store';
import { TEST_SEALING_KEY } from './app.ts';

/**
 * A stand-in for AWS KMS (which cannot run here): GenerateDataKey and Decrypt of the one key
 * `keyArn`, wrapping data keys as the tests' local key does, so a KMS sealer opens what the test
 * app sealed. Like KMS, it refuses another key id or another encryption context.
 */
export function fakeKms(keyArn: string) {
  const wrapping = new LocalDataKeys(TEST_SEALING_KEY);
  const calls: string[] = [];
  const refuse = (name: string) => Object.assign(new Error(name), { name });
  const send = async (command: GenerateDataKeyCommand | DecryptCommand) => {
    calls.push(command.constructor.name);
    const { KeyId, EncryptionContext } = command.input;
    if (KeyId !== keyArn) throw refuse('NotFoundException');
    if (JSON.stringify(EncryptionContext) !== JSON.stringify({ purpose: 'tandem-stored-secrets' }))
      throw refuse('InvalidCiphertextException');
    if (command instanceof GenerateDataKeyCommand) {
      const { plaintext, wrapped } = await wrapping.generate();
      return { KeyId, Plaintext: plaintext, CiphertextBlob: wrapped };
    }
    const wrapped = command.input.CiphertextBlob;
    if (!wrapped) throw refuse('ValidationException');
    const plaintext = await wrapping.unwrap(wrapped).catch(() => {
      throw refuse('InvalidCiphertextException');
    });
    return { KeyId, Plaintext: plaintext };
  };
  return { calls, client: { send } as unknown as Pick<KMSClient, 'send'> };
}
