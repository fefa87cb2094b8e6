/**
 * Key builders: the only place that knows how items are laid out in the single table.
 * Every tenant item's partition key is `T#<tenantId>` or starts with `T#<tenantId>#`, which is
 * what the IAM LeadingKeys condition in AWS pins each request to. Platform items (the tenant
 * directory and API key lookups) live outside any tenant prefix and are read only by the
 * operator routes and the authorizer.
 */
import { createHash } from 'node:crypto';

export interface Key {
  PK: string;
  SK: string;
}

export const tenantPartition = (tenantId: string) => `T#${tenantId}`;

/** Everything kept per person (see keys.membership). */
export const personPartition = (tenantId: string, personId: string) =>
  `${tenantPartition(tenantId)}#PER#${personId}`;

/**
 * Everything that lives inside one relationship (agreement versions, goals, milestones,
 * meetings, feedback), so that a relationship's whole workspace is one query.
 */
export const relationshipPartition = (tenantId: string, relationshipId: string) =>
  `${tenantPartition(tenantId)}#REL#${relationshipId}`;

/** The prefix of every issuer lookup partition: the only partitions the authorizer queries (IAM pins it). */
export const ISSUER_PARTITION_PREFIX = 'ISSUER#';

/** Where the providers that trust an issuer are listed (see keys.issuerTrust). */
export const issuerPartition = (issuer: string) =>
  `${ISSUER_PARTITION_PREFIX}${createHash('sha256').update(issuer).digest('hex')}`;

const idempotencyPartition = (scope: string, idempotencyKey: string) =>
  `${scope === 'platform' ? 'PLATFORM' : tenantPartition(scope)}#IDEM#${idempotencyKey}`;

export const keys = {
  tenant: (tenantId: string): Key => ({ PK: tenantPartition(tenantId), SK: 'TENANT' }),
  apiKey: (tenantId: string, keyId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `APIKEY#${keyId}`,
  }),
  apiKeyLookup: (secretHash: string): Key => ({ PK: `APIKEYHASH#${secretHash}`, SK: 'APIKEYHASH' }),
  person: (tenantId: string, personId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `PERSON#${personId}`,
  }),
  personEmail: (tenantId: string, normalizedEmail: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `EMAIL#${normalizedEmail}`,
  }),
  /**
   * A person's id in another system (`person.externalIds[system]`) → the person: unique per
   * tenant and system, kept in the transactions that write the person. Systems are keys of
   * `externalIds`, which hold no `#`, so the value after the second `#` is never ambiguous.
   */
  personExternalId: (tenantId: string, system: string, value: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `EXTID#${system}#${value}`,
  }),
  identityProvider: (tenantId: string, providerId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `IDP#${providerId}`,
  }),
  /**
   * Platform lookup: an issuer → every (tenant, provider) that trusts it, one item each, so the
   * authorizer finds a token's candidate providers with one Query. The partition is the issuer's
   * SHA-256 (issuers are URLs of any length); written with the provider, read only by the authorizer.
   */
  issuerTrust: (issuer: string, tenantId: string, providerId: string): Key => ({
    PK: issuerPartition(issuer),
    SK: `${tenantId}#${providerId}`,
  }),
  program: (tenantId: string, programId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `PROGRAM#${programId}`,
  }),
  enrollment: (tenantId: string, programId: string, enrollmentId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `ENR#${enrollmentId}`,
  }),
  /** Exists while a person holds an active enrollment in a program: the uniqueness guard. */
  enrollmentSeat: (tenantId: string, programId: string, personId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `SEAT#${personId}`,
  }),
  event: (tenantId: string, eventId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#EVENTS`,
    SK: eventId,
  }),
  webhookEndpoint: (tenantId: string, endpointId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `WHE#${endpointId}`,
  }),
  delivery: (tenantId: string, endpointId: string, deliveryId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#WHE#${endpointId}`,
    SK: `DLV#${deliveryId}`,
  }),
  /** A recovery of an endpoint's deliveries, beside them. */
  recovery: (tenantId: string, endpointId: string, recoveryId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#WHE#${endpointId}`,
    SK: `RCV#${recoveryId}`,
  }),
  matchRun: (tenantId: string, programId: string, runId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `RUN#${runId}`,
  }),
  /** Exists while a program has a run that is not finished: one run at a time per program. */
  activeRun: (tenantId: string, programId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: 'ACTIVERUN',
  }),
  proposal: (tenantId: string, runId: string, proposalId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#RUN#${runId}`,
    SK: `PRP#${proposalId}`,
  }),
  /** A pair an admin rejected: later runs of the program never propose it again. */
  rejectedPair: (tenantId: string, programId: string, a: string, b: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `REJECTED#${[a, b].sort().join('#')}`,
  }),
  relationship: (tenantId: string, relationshipId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `REL#${relationshipId}`,
  }),
  /**
   * A person's own partition: what is theirs across programs (their relationships, and what later
   * features keep per person), so that a participant's view reads one partition.
   */
  membership: (tenantId: string, personId: string, relationshipId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: `REL#${relationshipId}`,
  }),
  /** Exists while a mentee or peer holds an active relationship in a program. */
  relationshipSeat: (tenantId: string, programId: string, personId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `RELSEAT#${personId}`,
  }),
  /** A mentor's count of active relationships in a program, bounded by their capacity. */
  mentorLoad: (tenantId: string, programId: string, personId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `LOAD#${personId}`,
  }),
  /** Local runtime only: the table-backed delivery queue that stands in for SQS. */
  localQueueEntry: (dueAt: string, jobKey: string): Key => ({
    PK: 'LOCAL#DELIVERY_QUEUE',
    SK: `${dueAt}#${jobKey}`,
  }),
  /**
   * One idempotency record is one partition (`scope` is a tenant id, or `platform` for operator
   * calls): the head holds the claim and the response, and a body too large for one item goes
   * into parts named by the claim's token, so one Query reads it all back.
   */
  idempotencyHead: (scope: string, idempotencyKey: string): Key => ({
    PK: idempotencyPartition(scope, idempotencyKey),
    SK: 'HEAD',
  }),
  idempotencyPart: (scope: string, idempotencyKey: string, token: string, index: number): Key => ({
    PK: idempotencyPartition(scope, idempotencyKey),
    SK: `PART#${token}#${String(index).padStart(4, '0')}`,
  }),
};

/** Sort-key prefixes for the item collections that lists query. */
export const collections = {
  apiKeys: 'APIKEY#',
  people: 'PERSON#',
  programs: 'PROGRAM#',
  enrollments: 'ENR#',
  webhookEndpoints: 'WHE#',
  deliveries: 'DLV#',
  matchRuns: 'RUN#',
  proposals: 'PRP#',
  rejectedPairs: 'REJECTED#',
  relationships: 'REL#',
  memberships: 'REL#',
  identityProviders: 'IDP#',
} as const;

/** GSI1 partitions. */
export const gsi1 = {
  tenants: 'PLATFORM#TENANTS',
  peopleByUpdate: (tenantId: string) => `${tenantPartition(tenantId)}#PEOPLE_BY_UPDATE`,
  /** Runs that have not finished, across tenants: the local runtime fails those a restart interrupted. */
  unfinishedRuns: 'PLATFORM#UNFINISHED_RUNS',
};
