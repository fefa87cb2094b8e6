/**
 * Typed domain errors. Rules and repositories throw these; the API maps each kind to one
 * problem response in a single place, so no handler formats errors itself.
 */
export interface FieldError {
  /** JSON Pointer into the request (`/email`, `/skillsOffered/0/level`), or a parameter name. */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: string;
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is well-formed but breaks a rule about its fields (unknown reference, bad combination). */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid-input';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The target's current state forbids the change (duplicate email, illegal status transition). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** If-Match named a version that is no longer current. */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition-failed';
}

export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

/** A quota of the caller's ran out until `retryAfterSeconds` from now (429 with Retry-After). */
export class LimitExceededError extends DomainError {
  readonly kind = 'limit-exceeded';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
