import { DomainError, PeopleSourceConflict } from '@tandem/core';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 error types. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** A refusal in SCIM's own terms; answered with an Error body whose `status` is a string. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = 'ScimError';
  }
}

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

const domainStatus: Record<string, [number, ScimType | undefined]> = {
  'invalid-input': [400, 'invalidValue'],
  'not-found': [404, undefined],
  conflict: [409, 'uniqueness'],
  'precondition-failed': [412, undefined],
  unauthorized: [401, undefined],
  forbidden: [403, undefined],
};

/** The status and SCIM Error body of anything a SCIM request threw; undefined for a bug (a 500). */
export function scimErrorOf(error: unknown): { status: number; body: ScimErrorBody } | undefined {
  let status: number;
  let scimType: ScimType | undefined;
  if (error instanceof ScimError) [status, scimType] = [error.status, error.scimType];
  // Another source is the organization's source of truth: the attributes are not SCIM's to change.
  else if (error instanceof PeopleSourceConflict) [status, scimType] = [400, 'mutability'];
  else if (error instanceof DomainError && domainStatus[error.kind])
    [status, scimType] = domainStatus[error.kind]!;
  else return undefined;
  const fields =
    error instanceof DomainError && error.errors.length
      ? ` (${error.errors.map((e) => `${e.field} ${e.message}`).join('; ')})`
      : '';
  return {
    status,
    body: {
      schemas: [ERROR_SCHEMA],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail: `${error.message}${fields}`,
    },
  };
}
