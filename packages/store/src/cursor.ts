import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { InvalidInputError } from '@tandem/core';

/**
 * List cursors are the DynamoDB position, sealed with AES-256-GCM: opaque to clients,
 * tamper-proof, and bound (as additional authenticated data) to the tenant and the exact
 * query, so a cursor cannot be replayed against another tenant or another filter.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('cursor secret must be at least 16 characters');
    this.key = createHash('sha256').update(`tandem-cursor:${secret}`).digest();
  }

  encode(position: Record<string, unknown>, binding: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(binding));
    const body = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decode(cursor: string, binding: string): Record<string, unknown> {
    try {
      const raw = Buffer.from(cursor, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(binding));
      decipher.setAuthTag(raw.subarray(12, 28));
      const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(json) as Record<string, unknown>;
    } catch {
      throw new InvalidInputError('The cursor is invalid, expired or belongs to a different query', [
        { field: 'cursor', message: 'not a cursor returned by this list with these filters' },
      ]);
    }
  }
}
