import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ExpiringMap } from './expiring-map.ts';

/**
 * Where the keys that seal stored secrets come from: a master key that never leaves its home (AWS
 * KMS in a stack, a key file under `npm start`) makes data keys and opens the wrapped ones it made.
 */
export interface DataKeySource {
  /** A new 256-bit data key, and the same key wrapped under the master key, to keep beside what it seals. */
  generate(): Promise<{ plaintext: Uint8Array; wrapped: Uint8Array }>;
  /** The data key a wrapped key of this source holds; throws if the master key did not wrap it. */
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
}

/** What a sealed value starts with: the format's version, so a later format can be told apart. */
const PREFIX = 'tdm1.';
const SEALED = /^tdm1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]+)$/;

/** How long, and for how many seals, one process reuses a data key (AES-GCM's random IVs allow far more). */
const DATA_KEY_REUSE_MS = 5 * 60_000;
const DATA_KEY_MAX_SEALS = 100_000;
/** How long an unwrapped data key is kept: a master key's withdrawal reaches a process within it. */
const UNWRAPPED_KEY_MS = 15 * 60_000;
const MAX_UNWRAPPED_KEYS = 1_000;

export class SealedSecretError extends Error {
  constructor(context: string, options?: ErrorOptions) {
    super(
      `The stored secret of ${context} cannot be opened: it was sealed for something else, or altered`,
      options,
    );
    this.name = 'SealedSecretError';
  }
}

/**
 * Seals the secrets Tandem must use again (webhook signing secrets, HR systems' signing keys and API
 * credentials) before they are stored, and opens them when they are used: envelope encryption,
 * AES-256-GCM under a data key that `DataKeySource` wraps. A sealed value carries its wrapped data
 * key, so a master key's rotation leaves every stored value readable. `context` names what the value
 * belongs to (tenant and resource) and is authenticated with it: a sealed value copied onto another
 * tenant's or resource's item does not open there.
 *
 * Data keys are reused for a few minutes, and unwrapped ones kept in memory for a while, so a burst of
 * deliveries costs one unwrap instead of a KMS call each. They live only in this process's memory.
 */
export class SecretSealer {
  private current: Promise<{ key: Uint8Array; wrapped: string; until: number; seals: number }> | undefined;
  private readonly unwrapped = new ExpiringMap<Promise<Uint8Array>>(MAX_UNWRAPPED_KEYS);

  constructor(
    private readonly keys: DataKeySource,
    private readonly now: () => number = Date.now,
  ) {}

  static isSealed(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  async seal(value: string, context: string): Promise<string> {
    const dataKey = await this.dataKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey.key, iv);
    cipher.setAAD(aad(context));
    const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${dataKey.wrapped}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  async open(sealed: string, context: string): Promise<string> {
    const parts = SEALED.exec(sealed);
    if (!parts) throw new SealedSecretError(context);
    const [, wrapped, iv, data] = parts as unknown as [string, string, string, string];
    const key = await this.unwrap(wrapped).catch((cause: unknown) => {
      throw new SealedSecretError(context, { cause });
    });
    const bytes = Buffer.from(data, 'base64url');
    if (bytes.length < 16) throw new SealedSecretError(context);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - 16)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SealedSecretError(context);
    }
  }

  /** `seal` of a JSON value; `openJson` gives it back. */
  async sealJson(value: unknown, context: string): Promise<string> {
    return this.seal(JSON.stringify(value), context);
  }

  async openJson<T>(sealed: string, context: string): Promise<T> {
    return JSON.parse(await this.open(sealed, context)) as T;
  }

  /** The data key to seal with: the one held while it is young enough, else a new one (one generation at a time). */
  private async dataKey() {
    for (;;) {
      this.current ??= this.generate();
      const pending = this.current;
      const held = await pending;
      if (held.until > this.now() && held.seals < DATA_KEY_MAX_SEALS) {
        held.seals++;
        return held;
      }
      if (this.current === pending) this.current = undefined;
    }
  }

  private generate() {
    const at = this.now();
    const made = this.keys.generate().then(({ plaintext, wrapped }) => {
      const encoded = Buffer.from(wrapped).toString('base64url');
      this.unwrapped.set(encoded, Promise.resolve(plaintext), at + UNWRAPPED_KEY_MS);
      return { key: plaintext, wrapped: encoded, until: at + DATA_KEY_REUSE_MS, seals: 0 };
    });
    made.catch(() => {
      if (this.current === made) this.current = undefined;
    });
    return made;
  }

  private unwrap(wrapped: string): Promise<Uint8Array> {
    const at = this.now();
    const kept = this.unwrapped.get(wrapped, at);
    if (kept) return kept;
    const unwrapping = this.keys.unwrap(Buffer.from(wrapped, 'base64url'));
    this.unwrapped.set(wrapped, unwrapping, at + UNWRAPPED_KEY_MS);
    unwrapping.catch(() => this.unwrapped.delete(wrapped));
    return unwrapping;
  }
}

const aad = (context: string) => Buffer.from(`tandem sealed secret v1|${context}`, 'utf8');

/**
 * A `DataKeySource` whose master key is 32 bytes this process holds (the local runtime's key file,
 * tests): data keys are wrapped with AES-256-GCM under it.
 */
export class LocalDataKeys implements DataKeySource {
  private readonly master: Buffer;

  constructor(masterKey: Uint8Array) {
    if (masterKey.length !== 32) throw new Error('A master key is 32 bytes');
    this.master = Buffer.from(masterKey);
  }

  async generate() {
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.master, iv);
    const wrapped = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { plaintext, wrapped };
  }

  async unwrap(wrapped: Uint8Array) {
    const bytes = Buffer.from(wrapped);
    if (bytes.length !== 12 + 32 + 16) throw new Error('Not a data key this master key wrapped');
    const decipher = createDecipheriv('aes-256-gcm', this.master, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(44));
    return Buffer.concat([decipher.update(bytes.subarray(12, 44)), decipher.final()]);
  }
}

/**
 * The sealer of a process that keeps and reads no secret (matching and recognition steps, the
 * reactions): it holds no master key, so a secret asked of it is a wiring error, said as such.
 */
export const noSecrets = new SecretSealer({
  generate: () => Promise.reject(new Error('This process keeps no secrets, so it has no key to seal one')),
  unwrap: () => Promise.reject(new Error('This process keeps no secrets, so it has no key to open one')),
});
