import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CursorSecrets } from './cursor.ts';

/** What a certificate link opens: one award's certificate of one tenant, until it expires. */
export interface CertificateLinkClaim {
  tenantId: string;
  awardId: string;
  expiresAt: Date;
}

/** The shape of a certificate link's token: tenant, award, expiry (Unix seconds), signature. */
export const certificateTokenPattern =
  /^(ten_[0-9a-hjkmnp-tv-z]{26})\.(awd_[0-9a-hjkmnp-tv-z]{26})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Signed, expiring certificate links: `<tenant>.<award>.<expiry>.<HMAC-SHA256>`. The HMAC key is
 * derived from the cursor secret (its own label, so a cursor key never signs a link), which lives
 * in Secrets Manager, not in the table; the link itself is stored nowhere but the event that
 * announces the award. During a rotation's overlap the first secret signs and every one verifies.
 */
export class CertificateLinks {
  private readonly secrets: () => readonly string[];

  constructor(secrets: CursorSecrets) {
    const fixed = typeof secrets === 'string' ? [secrets] : secrets;
    this.secrets = typeof fixed === 'function' ? fixed : () => fixed;
  }

  sign(claim: CertificateLinkClaim): string {
    const payload = `${claim.tenantId}.${claim.awardId}.${Math.floor(claim.expiresAt.getTime() / 1000)}`;
    return `${payload}.${this.mac(this.secrets()[0]!, payload).toString('base64url')}`;
  }

  /** The claim of a well-formed, authentic token that has not expired at `now`; undefined otherwise. */
  verify(token: string, now: Date): CertificateLinkClaim | undefined {
    const match = certificateTokenPattern.exec(token);
    if (!match) return undefined;
    const [, tenantId, awardId, expiry, signature] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    const payload = `${tenantId}.${awardId}.${expiry}`;
    const given = Buffer.from(signature, 'base64url');
    const authentic = this.secrets().some((secret) => {
      const expected = this.mac(secret, payload);
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    const expiresAt = new Date(Number(expiry) * 1000);
    if (!authentic || expiresAt.getTime() <= now.getTime()) return undefined;
    return { tenantId, awardId, expiresAt };
  }

  private mac(secret: string, payload: string): Buffer {
    const key = createHmac('sha256', secret).update('tandem-certificate-link').digest();
    return createHmac('sha256', key).update(payload).digest();
  }
}
