import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { InvalidInputError } from '@tandem/core';

/**
 * The cursor secret; during a rotation's overlap, every secret still accepted: the first seals new
 * cursors, any of them opens one. A function form is read on every use, so a host that refreshes
 * its secrets (the Lambda functions after a Secrets Manager rotation) needs no new codec.
 */
export type CursorSecrets = string | readonly string[] | (() => readonly string[]);

/**
 * Cursor secrets, or a function that may still have to fetch them: the API function reads its
 * secret on the first request that seals or opens a cursor, since most requests do neither.
 */
export type CursorSecretSource = CursorSecrets | (() => Promise<readonly string[]>);

/** The secrets a source holds now, fetched first if the source fetches them on first use. */
export async function secretsOf(source: CursorSecretSource): Promise<readonly string[]> {
  return typeof source === 'string' ? [source] : typeof source === 'function' ? source() : source;
}

/**
 * What a repository needs of a codec: sealing a list page's position into a cursor, and opening
 * one. A function that pages through no list can give its repositories one that refuses both,
 * and so need no cursor secret (the webhook relay: functions/webhook-stores.ts).
 */
export interface Cursors {
  encode(position: Record<string, unknown>, binding: string): Promise<string>;
  decode(cursor: string, binding: string): Promise<Record<string, unknown>>;
}

/**
 * List cursors are the DynamoDB position, sealed with AES-256-GCM: opaque to clients,
 * tamper-proof, and bound (as additional authenticated data) to the tenant and the exact
 * query, so a cursor cannot be replayed against another tenant or another filter.
 */
export class CursorCodec implements Cursors {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly source: CursorSecretSource) {
    // Secrets given as values are checked at once, so a misconfigured host fails at start; a
    // function is not called here, since it may fetch (the API reads its secret on first use).
    if (typeof source !== 'function') this.check(typeof source === 'string' ? [source] : source);
  }

  private check(secrets: readonly string[]): readonly string[] {
    if (secrets.length === 0) throw new Error('no cursor secret');
    for (const secret of secrets) this.keyOf(secret);
    return secrets;
  }

  private async secrets(): Promise<readonly string[]> {
    return this.check(await secretsOf(this.source));
  }

  private keyOf(secret: string): Buffer {
    let key = this.keys.get(secret);
    if (!key) {
      if (secret.length < 16) throw new Error('cursor secret must be at least 16 characters');
      key = createHash('sha256').update(`tandem-cursor:${secret}`).digest();
      // A rotation adds one secret; the ones rotated out are no longer worth keeping.
      if (this.keys.size >= 8) this.keys.clear();
      this.keys.set(secret, key);
    }
    return key;
  }

  async encode(position: Record<string, unknown>, binding: string): Promise<string> {
    const [secret] = await this.secrets();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyOf(secret!), iv);
    cipher.setAAD(Buffer.from(binding));
    const body = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  async decode(cursor: string, binding: string): Promise<Record<string, unknown>> {
    const raw = Buffer.from(cursor, 'base64url');
    for (const secret of await this.secrets()) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', this.keyOf(secret), raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(binding));
        decipher.setAuthTag(raw.subarray(12, 28));
        const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        return JSON.parse(json) as Record<string, unknown>;
      } catch {
        // Sealed with another secret of the ring, or not a cursor at all: try the next.
      }
    }
    throw new InvalidInputError('The cursor is invalid, expired or belongs to a different query', [
      { field: 'cursor', message: 'not a cursor returned by this list with these filters' },
    ]);
  }
}
