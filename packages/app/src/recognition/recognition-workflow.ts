import { type Award, domainEvent, type Nomination } from '@tandem/core';
import type { RecognitionStart, TenantContext } from '../context.ts';

/** What Evaluate found: wait for an admin's decision, stop (rejected), or award. */
export type RecognitionDecision = 'await' | 'rejected' | 'award';

/**
 * The decision a recognition execution acts on. A nomination's status decides (pending waits for
 * the admin; the approval starts another execution); a milestone's award exists already.
 */
export async function evaluateRecognition(
  ctx: TenantContext,
  start: RecognitionStart,
): Promise<RecognitionDecision> {
  if (!start.nominationId) {
    await ctx.store.awards.get(start.awardId);
    return 'award';
  }
  const nomination = await ctx.store.nominations.get(start.nominationId);
  return nomination.status === 'pending' ? 'await' : nomination.status === 'rejected' ? 'rejected' : 'award';
}

const fromNomination = (n: Nomination, now: string, status: Award['status']): Award => ({
  id: n.awardId,
  personId: n.personId,
  awardTypeId: n.awardTypeId,
  ...(n.programId ? { programId: n.programId } : {}),
  source: { kind: 'nomination', nominationId: n.id },
  status,
  createdAt: now,
  updatedAt: now,
  version: 1,
});

/**
 * Grants the award of an approved nomination (once: a retried step or a second execution finds it
 * there) and says whether its type carries a certificate.
 */
export async function grantAward(
  ctx: TenantContext,
  start: RecognitionStart,
): Promise<{ certificate: boolean }> {
  const { store } = ctx;
  let value = await store.awards.find(start.awardId);
  if (!value) {
    if (!start.nominationId) throw new Error(`Award ${start.awardId} has neither an item nor a nomination`);
    const nomination = await store.nominations.get(start.nominationId);
    if (nomination.status !== 'approved')
      throw new Error(`Nomination ${nomination.id} is ${nomination.status}`);
    value = fromNomination(nomination, ctx.clock().toISOString(), 'granting');
    await store.awards.createOnce(value);
  }
  const type = await store.awardTypes.get(value.awardTypeId);
  return { certificate: type.certificate };
}

/** What a certificate prints. */
export interface CertificateContent {
  personName: string;
  awardName: string;
  criteria: string;
  programName?: string;
  organization: string;
  /** The day it is awarded, YYYY-MM-DD. */
  date: string;
}

export async function certificateContent(ctx: TenantContext, awardId: string): Promise<CertificateContent> {
  const { store } = ctx;
  const value = await store.awards.get(awardId);
  const [person, type, program, organization] = await Promise.all([
    store.people.get(value.personId),
    store.awardTypes.get(value.awardTypeId),
    value.programId ? store.programs.get(value.programId) : undefined,
    store.awards.organizationName(),
  ]);
  return {
    personName: person.name,
    awardName: type.name,
    criteria: type.criteria,
    ...(program ? { programName: program.name } : {}),
    organization,
    date: (value.awardedAt ?? ctx.clock().toISOString()).slice(0, 10),
  };
}

/** Records that the certificate is in the blob store (rendering again replaces it). */
export async function attachCertificate(ctx: TenantContext, awardId: string, bytes: number): Promise<void> {
  const current = await ctx.store.awards.get(awardId);
  const now = ctx.clock().toISOString();
  await ctx.store.awards.update(current, {
    ...current,
    certificate: { renderedAt: now, bytes },
    updatedAt: now,
    version: current.version + 1,
  });
}

/**
 * Marks the award awarded and announces it (`recognition.awarded`, with the certificate link) in
 * the same write; an award announced already is left alone, so the event is written once.
 */
export async function announceAward(
  ctx: TenantContext,
  awardId: string,
  link?: { url: string; expiresAt: string },
): Promise<Award> {
  const { store } = ctx;
  const current = await store.awards.get(awardId);
  if (current.status === 'awarded') return current;
  const [person, type] = await Promise.all([
    store.people.get(current.personId),
    store.awardTypes.get(current.awardTypeId),
  ]);
  const now = ctx.clock().toISOString();
  const next: Award = {
    ...current,
    status: 'awarded',
    awardedAt: now,
    updatedAt: now,
    version: current.version + 1,
  };
  await store.awards.update(current, next, {
    removed: ['failure'],
    event: domainEvent('recognition.awarded', {
      awardId: next.id,
      personId: next.personId,
      personName: person.name,
      awardTypeId: next.awardTypeId,
      awardName: type.name,
      ...(next.programId ? { programId: next.programId } : {}),
      ...(link ? { certificateUrl: link.url, certificateUrlExpiresAt: link.expiresAt } : {}),
    }),
  });
  return next;
}

/**
 * Records why the workflow failed on the award item, creating it as failed when the failure came
 * before the award was granted, so that every failure is visible where the award would be.
 */
export async function failRecognition(
  ctx: TenantContext,
  start: RecognitionStart,
  failure: { step: string; error: string; cause?: string | undefined },
): Promise<void> {
  const { store } = ctx;
  const now = ctx.clock().toISOString();
  const recorded = { ...failure, ...(failure.cause ? {} : { cause: undefined }), at: now };
  const current = await store.awards.find(start.awardId);
  if (current) {
    if (current.status === 'awarded') return;
    await store.awards.update(current, {
      ...current,
      status: 'failed',
      failure: JSON.parse(JSON.stringify(recorded)),
      updatedAt: now,
      version: current.version + 1,
    });
    return;
  }
  if (!start.nominationId) return;
  const nomination = await store.nominations.get(start.nominationId);
  await store.awards.createOnce({
    ...fromNomination(nomination, now, 'failed'),
    failure: JSON.parse(JSON.stringify(recorded)),
  });
}
