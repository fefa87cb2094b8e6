import { type Award, NotFoundError } from '@tandem/core';
import type { CertificateLinks, Page, PageRequest } from '@tandem/store';
import type { ActorContext, CertificateFiles, TenantContext } from '../context.ts';
import { assertSelfOrAdmin } from '../participants/access.ts';

/** Where an award's certificate is kept in the blob store. */
export const certificateKey = (tenantId: string, awardId: string) =>
  `certificates/${tenantId}/${awardId}.pdf`;

/** A person's awards: admins see anyone's, a participant only their own. */
export async function listPersonAwards(
  ctx: ActorContext,
  personId: string,
  page: PageRequest,
): Promise<Page<Award>> {
  assertSelfOrAdmin(ctx.actor, personId);
  if (ctx.actor.kind === 'admin') await ctx.store.people.get(personId);
  return ctx.store.awards.listOfPerson(personId, page);
}

export async function listProgramAwards(
  ctx: TenantContext,
  programId: string,
  page: PageRequest,
): Promise<Page<Award>> {
  await ctx.store.programs.get(programId);
  return ctx.store.awards.listOfProgram(programId, page);
}

/** One award; a participant reaches only their own (another's is not found). */
export async function getAward(ctx: ActorContext, awardId: string): Promise<Award> {
  const value = await ctx.store.awards.get(awardId);
  if (ctx.actor.kind === 'participant' && ctx.actor.personId !== value.personId)
    throw new NotFoundError(`No award ${awardId}`);
  return value;
}

async function certificateOf(ctx: TenantContext, files: CertificateFiles, value: Award): Promise<Uint8Array> {
  if (!value.certificate) throw new NotFoundError(`Award ${value.id} has no certificate (yet)`);
  return files.read(certificateKey(ctx.tenantId, value.id));
}

/** The PDF certificate of an award the actor may see. */
export async function awardCertificate(
  ctx: ActorContext,
  files: CertificateFiles,
  awardId: string,
): Promise<Uint8Array> {
  return certificateOf(ctx, files, await getAward(ctx, awardId));
}

/**
 * The certificate a signed link names, for whoever holds the link until it expires. A forged,
 * altered or expired link, or another tenant's, names nothing: 404.
 */
export async function certificateByLink(
  ctx: TenantContext,
  files: CertificateFiles,
  awardId: string,
): Promise<Uint8Array> {
  return certificateOf(ctx, files, await ctx.store.awards.get(awardId));
}

/** A download link of an award's certificate that works without credentials until `expiresAt`. */
export function certificateLink(
  links: CertificateLinks,
  baseUrl: string,
  claim: { tenantId: string; awardId: string; expiresAt: Date },
): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1/certificates/${links.sign(claim)}`;
}
