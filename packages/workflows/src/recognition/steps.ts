import {
  announceAward,
  attachCertificate,
  type CertificateContent,
  certificateContent,
  certificateKey,
  certificateLink,
  evaluateRecognition,
  failRecognition,
  grantAward,
  type TenantContext,
} from '@tandem/app';
import { type CertificateLinks, type Clock, type TenantStore, withAudit } from '@tandem/store';
import type { ByteBlobStore } from '../matching-run/contract.ts';
import { renderCertificate } from './certificate.ts';
import type { RecognitionState, RecognitionStepHandlers } from './contract.ts';

export interface RecognitionStepDeps {
  /** The tenant's repositories, on the given clock (events and entities are stamped by it). */
  storesFor: (tenantId: string, clock: Clock) => TenantStore | Promise<TenantStore>;
  /** Where certificates go: S3 in AWS, a folder locally. */
  blobs: ByteBlobStore;
  links: CertificateLinks;
  /** The API's public base URL, which certificate links start with. */
  publicUrl: string;
  /** How long a certificate link in `recognition.awarded` works (default 30 days). */
  linkTtlMs?: number;
  now?: () => Date;
  /** Renders the PDF (default `renderCertificate`). */
  render?: (content: CertificateContent) => Promise<Uint8Array>;
}

const DEFAULT_LINK_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Step Functions puts the Lambda error in Cause as JSON ({ errorMessage, ... }); keep the message. */
function causeOf(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return (parsed.errorMessage ?? cause).slice(0, 1000);
  } catch {
    return cause.slice(0, 1000);
  }
}

/**
 * The logic of each Task state of the recognition workflow: each calls its use case, records
 * progress on the award item and passes only the reference (and the Choice flags) on.
 */
export function createRecognitionSteps(deps: RecognitionStepDeps): RecognitionStepHandlers {
  const now = () => deps.now?.() ?? new Date();
  const contextOf = async (state: RecognitionState): Promise<TenantContext> => ({
    tenantId: state.tenantId,
    store: await deps.storesFor(state.tenantId, now),
    clock: now,
  });
  const render = deps.render ?? renderCertificate;
  const ttl = deps.linkTtlMs ?? DEFAULT_LINK_TTL_MS;
  // Steps run without a request: what they write is the recognition workflow's, audited as the system's.
  const audited =
    (step: string, work: (state: RecognitionState, ctx: TenantContext) => Promise<RecognitionState>) =>
    (state: RecognitionState) =>
      withAudit(
        { actor: { kind: 'system', id: 'recognition' }, operation: `recognition.${step}` },
        async () => work(state, await contextOf(state)),
      );

  return {
    evaluate: audited('evaluate', async (state, ctx) => ({
      ...state,
      decision: await evaluateRecognition(ctx, state),
    })),
    grant: audited('grant', async (state, ctx) => ({ ...state, ...(await grantAward(ctx, state)) })),
    certify: audited('certify', async (state, ctx) => {
      const bytes = await render(await certificateContent(ctx, state.awardId));
      await deps.blobs.putBytes(certificateKey(state.tenantId, state.awardId), bytes, 'application/pdf');
      await attachCertificate(ctx, state.awardId, bytes.byteLength);
      return state;
    }),
    announce: audited('announce', async (state, ctx) => {
      const expiresAt = new Date(now().getTime() + ttl);
      const link = state.certificate
        ? {
            url: certificateLink(deps.links, deps.publicUrl, {
              tenantId: state.tenantId,
              awardId: state.awardId,
              expiresAt,
            }),
            expiresAt: expiresAt.toISOString(),
          }
        : undefined;
      await announceAward(ctx, state.awardId, link);
      return state;
    }),
    recordFailure: audited('recordFailure', async (state, ctx) => {
      await failRecognition(ctx, state, {
        step: state.failedStep ?? 'unknown',
        error: state.error?.Error ?? 'Error',
        cause: causeOf(state.error?.Cause),
      });
      return state;
    }),
  };
}
