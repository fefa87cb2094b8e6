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

/** A key as one string, to tell items apart in maps and sets. */
export const keyId = (key: { PK?: unknown; SK?: unknown }) => `${String(key.PK)}\u0000${String(key.SK)}`;

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
  /** One timer per (kind, subject) of the tenant, so setting it again moves it (see core/timer.ts). */
  timer: (tenantId: string, kind: string, subjectId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#TIMERS`,
    SK: `${kind}#${subjectId}`,
  }),
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
  /** The organization's one SCIM token (keys.scimTokenLookup holds its hash → tenant). */
  scimToken: (tenantId: string): Key => ({ PK: tenantPartition(tenantId), SK: 'SCIMTOKEN' }),
  /** The organization's source of truth for people (none, scim, hris:<connectionId>). */
  peopleSource: (tenantId: string): Key => ({ PK: tenantPartition(tenantId), SK: 'PEOPLESOURCE' }),
  /** Global: a SCIM token's hash → its tenant, read only by the authorizer. */
  scimTokenLookup: (secretHash: string): Key => ({ PK: `SCIMTOKENHASH#${secretHash}`, SK: 'SCIMTOKENHASH' }),
  /**
   * SCIM items sit in a partition of their own (`T#<tenantId>#SCIM`): what the identity provider
   * sent for a person, its userName seat (lower-cased: userName is caseExact=false), and groups.
   */
  scimUser: (tenantId: string, personId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#SCIM`,
    SK: `USER#${personId}`,
  }),
  scimUserName: (tenantId: string, lowerUserName: string): Key => ({
    PK: `${tenantPartition(tenantId)}#SCIM`,
    SK: `USERNAME#${lowerUserName}`,
  }),
  scimGroup: (tenantId: string, groupId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#SCIM`,
    SK: `GROUP#${groupId}`,
  }),
  scimGroupName: (tenantId: string, lowerDisplayName: string): Key => ({
    PK: `${tenantPartition(tenantId)}#SCIM`,
    SK: `GROUPNAME#${lowerDisplayName}`,
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
  /**
   * A tenant's audit log: one partition, entry ids (ULIDs of the write's instant) as sort keys, so
   * a time range is a key condition. Every audited transaction of the tenant adds one item here;
   * see docs/audit-log.md on why one partition holds a tenant's write rate.
   */
  auditEntry: (tenantId: string, entryId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#AUDIT`,
    SK: entryId,
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
   * features keep per person), so that a participant's view reads one partition. A mentor's
   * membership is written when the relationship starts (their load counter indexes nothing); a
   * mentee's or peer's when it ends (until then their relationship seat indexes it).
   */
  membership: (tenantId: string, personId: string, relationshipId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: `REL#${relationshipId}`,
  }),
  /** A meeting of a relationship; its row in its program's meeting rows (keys.meetingRow) is written with it. */
  meeting: (tenantId: string, relationshipId: string, meetingId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `MTG#${meetingId}`,
  }),
  /**
   * A meeting's row in its program's meeting rows: the fields an export of the program's meetings
   * reads, as one string, written in the meeting's own transactions. A program's meetings are then
   * a read of a few partitions of small items, not a read of every relationship's partition.
   * Spread over MEETING_SHARDS partitions by relationship, keyed by relationship and then meeting
   * id (which never change), so each shard reads in order of relationship, then of creation.
   */
  meetingRow: (tenantId: string, programId: string, relationshipId: string, meetingId: string): Key => ({
    PK: meetingRowsShard(tenantId, programId, meetingShard(relationshipId)),
    SK: `${relationshipId}#${meetingId}`,
  }),
  /**
   * Exists once every meeting of the program has its row (keys.meetingRow): written with a new
   * program, or by the export that entered the rows of meetings written before there were rows.
   * (Programs of the earlier GSI1 meeting index carry a `MEETINGS_INDEXED` mark, which says nothing
   * about rows.)
   */
  programMeetingRows: (tenantId: string, programId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: 'MEETING_ROWS',
  }),
  /** One attendee's feedback on one meeting: at most one per person, by construction of the key. */
  feedback: (tenantId: string, relationshipId: string, meetingId: string, personId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `FBK#${meetingId}#${personId}`,
  }),
  /**
   * A private meeting note lives in its author's partition, not the relationship's, so no read of
   * a relationship's workspace (an admin's, an export's) can ever come across it.
   */
  privateNote: (tenantId: string, personId: string, meetingId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: `NOTE#${meetingId}`,
  }),
  /** Which calendar feed token (by hash) is a person's current one. */
  calendarFeed: (tenantId: string, personId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: 'CALFEED',
  }),
  /** Global: a feed token's hash → its tenant and person, read by the unauthenticated feed route only. */
  calendarFeedLookup: (secretHash: string): Key => ({ PK: `CALFEEDHASH#${secretHash}`, SK: 'CALFEEDHASH' }),
  /**
   * Exists while a mentee or peer holds an active relationship in a program; it indexes that
   * relationship under the person (gsi1.ongoingOfPerson).
   */
  relationshipSeat: (tenantId: string, programId: string, personId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `RELSEAT#${personId}`,
  }),
  /** A mentor's count of active relationships in a program, bounded by their capacity. */
  mentorLoad: (tenantId: string, programId: string, personId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `LOAD#${personId}`,
  }),
  /** A library resource (article, link, checklist; maybe a training module) of the tenant. */
  resource: (tenantId: string, resourceId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `RESOURCE#${resourceId}`,
  }),
  /**
   * A person's progress on one training module, in their own partition: their status is one query,
   * and a run reads a program's completions as batched gets of (person, module) keys.
   */
  trainingRecord: (tenantId: string, personId: string, resourceId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: `TRN#${resourceId}`,
  }),
  /** A post of a program's community, beside the program's other items; ids sort posts by time. */
  post: (tenantId: string, programId: string, postId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `POST#${postId}`,
  }),
  /** Replies sort under their post, so a thread is one query. */
  postReply: (tenantId: string, programId: string, postId: string, replyId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `REPLY#${postId}#${replyId}`,
  }),
  /** A member's closing reflection: one per member, so the person id is the key. */
  reflection: (tenantId: string, relationshipId: string, personId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `REFLECTION#${personId}`,
  }),
  /**
   * A rematch request, read by id from the admin queue. GSI1 (gsi1.rematchRequests) lists them by
   * status; the person's and the relationship's partitions hold pointers (rematchOfPerson,
   * rematchOfRelationship) so their histories are one query each.
   */
  rematchRequest: (tenantId: string, requestId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `RMR#${requestId}`,
  }),
  rematchOfPerson: (tenantId: string, personId: string, requestId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: `RMR#${requestId}`,
  }),
  rematchOfRelationship: (tenantId: string, relationshipId: string, requestId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `RMR#${requestId}`,
  }),
  /** Exists while a member has an open rematch request for a relationship: one at a time. */
  openRematch: (tenantId: string, relationshipId: string, personId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `RMROPEN#${personId}`,
  }),
  /**
   * A relationship's agreement: the head holds the current version's terms and who accepted it.
   * Every edit and every acceptance is a write conditional on it, so they serialize here.
   */
  agreement: (tenantId: string, relationshipId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: 'AGREEMENT',
  }),
  /** Each version as written, with who accepted it; zero-padded so the history sorts by version. */
  agreementVersion: (tenantId: string, relationshipId: string, version: number): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `AGRV#${String(version).padStart(10, '0')}`,
  }),
  goal: (tenantId: string, relationshipId: string, goalId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `GOAL#${goalId}`,
  }),
  /** A goal's history, beside the goals under its own prefix so listing goals never reads it. */
  goalUpdate: (tenantId: string, relationshipId: string, goalId: string, updateId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `GUPD#${goalId}#${updateId}`,
  }),
  /** Exists once the relationship reached the milestone (its due date is on the relationship). */
  milestone: (tenantId: string, relationshipId: string, key: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `MS#${key}`,
  }),
  /**
   * A person's erasure (GDPR): its status and progress, in their own partition, so a repeated call
   * resumes where the last one stopped and a completed one answers without writing.
   */
  erasure: (tenantId: string, personId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: 'ERASURE',
  }),
  /** A kudos, read by id; its feed entry (keys.feedEntry) is written and deleted with it. */
  kudos: (tenantId: string, kudosId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `KUDOS#${kudosId}`,
  }),
  /**
   * The tenant's recognition feed: one item per entry of any kind (kudos now, awards later), sorted
   * by when it happened and then by id, so one query reads the feed newest first across kinds.
   */
  feedEntry: (tenantId: string, occurredAt: string, entryId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#FEED`,
    SK: `${occurredAt}#${entryId}`,
  }),
  /** How many kudos a person sent on one UTC day: the daily limit's counter (expires after it). */
  kudosSentOn: (tenantId: string, personId: string, day: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: `KUDOSDAY#${day}`,
  }),
  /** The organization's recognition settings (absent while it uses the defaults). */
  recognitionSettings: (tenantId: string): Key => ({ PK: tenantPartition(tenantId), SK: 'RECOGNITION' }),
  /** A program's milestone rule, beside the program's other items. */
  milestoneRule: (tenantId: string, programId: string, ruleId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `MSR#${ruleId}`,
  }),
  /**
   * A milestone a person earned by a rule, in the person's partition: the key is (rule, person), so
   * a conditional put writes it at most once however often the rule is evaluated.
   */
  earnedMilestone: (tenantId: string, personId: string, ruleId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: `MSE#${ruleId}`,
  }),
  /** A relationship's latest health evaluation; every evaluation is a write conditional on its version. */
  health: (tenantId: string, relationshipId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: 'HEALTH',
  }),
  /**
   * A fresh random mark, written with every change of what a health evaluation reads in the
   * partition (agreement, goals, meetings, feedback): an evaluation stores the mark it read before
   * those inputs, and a later one that finds the same mark knows them unchanged. It sorts between
   * the evaluation and the daily history, so it has no place in either's reads.
   */
  healthInputs: (tenantId: string, relationshipId: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: 'HEALTH#INPUTS',
  }),
  /**
   * A finished month of the daily history (the current month's days are on the evaluation), kept
   * for HEALTH_HISTORY_DAYS after its last day by TTL. Earlier code wrote one item per day under
   * the same prefix (`HEALTHDAY#<date>`, until their TTL removes them), so one query reads both.
   */
  healthMonth: (tenantId: string, relationshipId: string, month: string): Key => ({
    PK: relationshipPartition(tenantId, relationshipId),
    SK: `HEALTHDAY#${month}`,
  }),
  /**
   * Exists while a relationship of the program is at risk: the admins' at-risk list is one query of
   * the program's partition. Written and removed in the evaluation's transaction (and by ending).
   */
  atRisk: (tenantId: string, programId: string, relationshipId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `ATRISK#${relationshipId}`,
  }),
  /** A program's last requested analytics rebuild (its status), beside the program's other items. */
  analyticsRecompute: (tenantId: string, programId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: 'ANALYTICS_RECOMPUTE',
  }),
  /** A program's survey definition, beside the program's other items: its surveys are one query. */
  survey: (tenantId: string, programId: string, surveyId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `SRV#${surveyId}`,
  }),
  /**
   * A survey's tally, beside the survey: the respondents per schedule (`part` empty) and one item
   * per question (`part` `Q#<questionId>`), so an answer's update stays small however many questions the survey has.
   */
  surveyTally: (tenantId: string, programId: string, surveyId: string, part = ''): Key => ({
    PK: `${tenantPartition(tenantId)}#PRG#${programId}`,
    SK: `TALLY#SRV#${surveyId}#${part}`,
  }),
  /** A survey instance assigned to a person, in their own partition: their surveys are one query. */
  surveyInstance: (tenantId: string, personId: string, instanceId: string): Key => ({
    PK: personPartition(tenantId, personId),
    SK: `SVI#${instanceId}`,
  }),
  /**
   * A response, read by id; GSI1 (gsi1.surveyResponses, GSI1SK `<surveyId>#<responseId>`) lists a
   * program's responses, and one survey's by prefix.
   */
  surveyResponse: (tenantId: string, responseId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `RSP#${responseId}`,
  }),
  /** Local runtime only: the table-backed queues that stand in for SQS (deliveries, HRIS changes). */
  localQueueEntry: (dueAt: string, jobKey: string, queue = 'DELIVERY_QUEUE'): Key => ({
    PK: `LOCAL#${queue}`,
    SK: `${dueAt}#${jobKey}`,
  }),
  /** Global: a one-off data change the platform finished (see PlatformMigrations). */
  platformMigration: (name: string): Key => ({ PK: 'PLATFORM#MIGRATIONS', SK: name }),
  /** An HRIS connection; its secrets are storage-only attributes. */
  hrisConnection: (tenantId: string, connectionId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `HRISCONN#${connectionId}`,
  }),
  /** Global: a connection id → its tenant, read only by the unauthenticated webhook route. */
  hrisConnectionLookup: (connectionId: string): Key => ({ PK: `HRISCONN#${connectionId}`, SK: 'HRISCONN' }),
  /**
   * A connection's inbound traffic sits in its own partition: receipts (one per delivery's event id
   * or body hash, with a TTL: the deduplication window), the event log, and per employee the
   * source's latest time and the person they map to.
   */
  hrisReceipt: (tenantId: string, connectionId: string, dedupKey: string): Key => ({
    PK: `${tenantPartition(tenantId)}#HRIS#${connectionId}`,
    SK: `RCPT#${dedupKey}`,
  }),
  hrisLog: (tenantId: string, connectionId: string, entryId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#HRIS#${connectionId}`,
    SK: `LOG#${entryId}`,
  }),
  hrisEmployee: (tenantId: string, connectionId: string, externalId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#HRIS#${connectionId}`,
    SK: `EMP#${externalId}`,
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
  /**
   * A program's analytics projection, in its own partition: one record per entity the numbers
   * depend on (`REC#participant#<personId>`, `REC#relationship#<id>`, a relationship's goals in
   * `REC#goals#<relationshipId>`; older projections may still hold `REC#goal#<goalId>`, one per
   * goal, `REC#response#<id>` and `REC#surveypair#<surveyId>#<personId>`), the counters
   * (`SUM#all`, `SUM#cohort#2027-01`) and the markers of events already counted.
   */
  analyticsRecord: (tenantId: string, programId: string, recordId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#ANALYTICS#${programId}`,
    SK: `REC#${recordId}`,
  }),
  analyticsSums: (tenantId: string, programId: string, slice: string): Key => ({
    PK: `${tenantPartition(tenantId)}#ANALYTICS#${programId}`,
    SK: `SUM#${slice}`,
  }),
  analyticsApplied: (tenantId: string, programId: string, projection: string, eventId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#ANALYTICS#${programId}`,
    SK: `APPLIED#${projection}#${eventId}`,
  }),
  /**
   * The programs a person takes part in, as the analytics projection knows them, kept in the
   * organization's analytics partition (`scope` = ORGANIZATION): where a change of the person
   * (department, leaving) is carried into each program's counters.
   */
  analyticsProgramOf: (tenantId: string, scope: string, personId: string, programId: string): Key => ({
    PK: `${tenantPartition(tenantId)}#ANALYTICS#${scope}`,
    SK: `PROGRAMS#${personId}#${programId}`,
  }),
  awardType: (tenantId: string, awardTypeId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `AWT#${awardTypeId}`,
  }),
  nomination: (tenantId: string, nominationId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `NOM#${nominationId}`,
  }),
  /** An award (GSI1: the person's awards, see gsi1.awardsOfPerson). */
  award: (tenantId: string, awardId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `AWARD#${awardId}`,
  }),
  /**
   * The award a milestone rule granted a person: written with the award (attribute_not_exists), so
   * the same milestone never awards twice however often its event arrives.
   */
  milestoneAward: (tenantId: string, ruleId: string, personId: string): Key => ({
    PK: tenantPartition(tenantId),
    SK: `MSAWARD#${ruleId}#${personId}`,
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
  resources: 'RESOURCE#',
  trainingRecords: 'TRN#',
  posts: 'POST#',
  replies: (postId: string) => `REPLY#${postId}#`,
  reflections: 'REFLECTION#',
  rematchRequests: 'RMR#',
  agreementVersions: 'AGRV#',
  goals: 'GOAL#',
  milestones: 'MS#',
  meetings: 'MTG#',
  feedback: 'FBK#',
  identityProviders: 'IDP#',
  healthDays: 'HEALTHDAY#',
  atRisk: 'ATRISK#',
  scimUsers: 'USER#',
  scimGroups: 'GROUP#',
  milestoneRules: 'MSR#',
  earnedMilestones: 'MSE#',
  surveys: 'SRV#',
  surveyInstances: 'SVI#',
  hrisConnections: 'HRISCONN#',
  hrisLog: 'LOG#',
  awardTypes: 'AWT#',
  nominations: 'NOM#',
  awards: 'AWARD#',
} as const;

/** Sort-key prefix of one goal's history. */
export const goalUpdatesOf = (goalId: string) => `GUPD#${goalId}#`;

/** How many partitions a program's meeting rows are spread over (see keys.meetingRow). */
export const MEETING_SHARDS = 8;

/** A relationship's meetings all go to one shard, so each shard holds whole relationships. */
const meetingShard = (relationshipId: string) =>
  createHash('sha256').update(relationshipId).digest()[0]! % MEETING_SHARDS;

/** One of the MEETING_SHARDS partitions of a program's meeting rows; read side by side and merged. */
export const meetingRowsShard = (tenantId: string, programId: string, shard: number) =>
  `${tenantPartition(tenantId)}#PRG#${programId}#MEETINGROWS#${shard}`;

/** GSI1 partitions. */
export const gsi1 = {
  tenants: 'PLATFORM#TENANTS',
  peopleByUpdate: (tenantId: string) => `${tenantPartition(tenantId)}#PEOPLE_BY_UPDATE`,
  /** Runs that have not finished, across tenants: the local runtime fails those a restart interrupted. */
  unfinishedRuns: 'PLATFORM#UNFINISHED_RUNS',
  /** A tenant's rematch requests in one status, oldest first: the admins' queue. */
  rematchRequests: (tenantId: string, status: string) => `${tenantPartition(tenantId)}#RMR#${status}`,
  /** A person's enrollment seats (GSI1SK: the program id): what they are actively enrolled in. */
  seatsOfPerson: (tenantId: string, personId: string) => `${personPartition(tenantId, personId)}#SEATS`,
  /**
   * A person's ongoing relationships as a mentee or peer (GSI1SK: the relationship id): their
   * relationship seats carry it, so starting a relationship writes no item per such member.
   */
  ongoingOfPerson: (tenantId: string, personId: string) => `${personPartition(tenantId, personId)}#ONGOING`,
  /** A tenant's timers by due instant (GSI1SK `<dueAt>#<kind>#<subjectId>`): what the scheduled job does next. */
  timersByDue: (tenantId: string) => `${tenantPartition(tenantId)}#TIMERS_BY_DUE`,
  /** A program's survey responses (GSI1SK `<surveyId>#<responseId>`). */
  surveyResponses: (tenantId: string, programId: string) =>
    `${tenantPartition(tenantId)}#PRG#${programId}#SURVEY_RESPONSES`,
  /** A person's awards (GSI1SK: the award id, so oldest first). */
  awardsOfPerson: (tenantId: string, personId: string) => `${personPartition(tenantId, personId)}#AWARDS`,
};
