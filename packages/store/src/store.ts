import type { CursorCodec } from './cursor.ts';
import type { Db } from './db.ts';
import { deferred } from './deferred.ts';
import { type Clock, systemClock } from './repository.ts';
import type { SecretSealer } from './secret-sealer.ts';

/**
 * Where a tenant's repositories read and write. In AWS `tenant` carries credentials scoped to
 * the tenant's partitions; API keys, identity providers and calendar feeds also write global
 * lookups (key hash → tenant, issuer → tenants, feed token → person), which lie outside every
 * tenant partition, so they go through `platform`. `sealer` seals the secrets that are stored to
 * be used again (webhook signing secrets, HR systems' keys and credentials).
 */
export interface TenantDbs {
  tenant: Db;
  platform: Db;
  sealer: SecretSealer;
}

type RepositoryClass<T> = new (
  db: Db,
  tenantId: string,
  cursors: CursorCodec,
  clock: Clock,
  sealer: SecretSealer,
) => T;

/**
 * Every repository of one tenant, bound to that tenant's partition keys. Each repository's module
 * (with the core schemas it reads items with) loads when a use case first calls the repository,
 * so that a cold start's first request builds only the schemas of what it touches; every method
 * is therefore awaited, the `…Op` builders too (see `deferred`).
 */
export function tenantStore(
  { tenant: db, platform, sealer }: TenantDbs,
  tenantId: string,
  cursors: CursorCodec,
  clock: Clock = systemClock,
) {
  const repository = <T extends object>(on: Db, load: () => Promise<RepositoryClass<T>>) =>
    deferred(async () => new (await load())(on, tenantId, cursors, clock, sealer));
  return {
    apiKeys: repository(platform, async () => (await import('./api-keys.ts')).ApiKeysRepository),
    identityProviders: repository(
      platform,
      async () => (await import('./identity-providers.ts')).IdentityProvidersRepository,
    ),
    people: repository(db, async () => (await import('./people.ts')).PeopleRepository),
    peopleSource: repository(db, async () => (await import('./people-source.ts')).PeopleSourceRepository),
    scim: repository(db, async () => (await import('./scim.ts')).ScimRepository),
    scimTokens: repository(platform, async () => (await import('./scim.ts')).ScimTokensRepository),
    programs: repository(db, async () => (await import('./programs.ts')).ProgramsRepository),
    enrollments: repository(db, async () => (await import('./enrollments.ts')).EnrollmentsRepository),
    events: repository(db, async () => (await import('./events.ts')).EventsRepository),
    webhookEndpoints: repository(
      db,
      async () => (await import('./webhook-endpoints.ts')).WebhookEndpointsRepository,
    ),
    deliveries: repository(db, async () => (await import('./deliveries.ts')).DeliveriesRepository),
    matchRuns: repository(db, async () => (await import('./match-runs.ts')).MatchRunsRepository),
    relationships: repository(db, async () => (await import('./relationships.ts')).RelationshipsRepository),
    resources: repository(db, async () => (await import('./resources.ts')).ResourcesRepository),
    training: repository(db, async () => (await import('./training.ts')).TrainingRepository),
    posts: repository(db, async () => (await import('./posts.ts')).PostsRepository),
    reflections: repository(db, async () => (await import('./reflections.ts')).ReflectionsRepository),
    rematchRequests: repository(
      db,
      async () => (await import('./rematch-requests.ts')).RematchRequestsRepository,
    ),
    agreements: repository(db, async () => (await import('./agreements.ts')).AgreementsRepository),
    goals: repository(db, async () => (await import('./goals.ts')).GoalsRepository),
    milestones: repository(db, async () => (await import('./milestones.ts')).MilestonesRepository),
    meetings: repository(db, async () => (await import('./meetings.ts')).MeetingsRepository),
    meetingFeedback: repository(
      db,
      async () => (await import('./meeting-feedback.ts')).MeetingFeedbackRepository,
    ),
    privateNotes: repository(db, async () => (await import('./private-notes.ts')).PrivateNotesRepository),
    calendarFeeds: repository(
      platform,
      async () => (await import('./calendar-feeds.ts')).CalendarFeedsRepository,
    ),
    auditLog: repository(db, async () => (await import('./audit-log.ts')).AuditLogRepository),
    privacy: repository(db, async () => (await import('./privacy.ts')).PrivacyRepository),
    kudos: repository(db, async () => (await import('./kudos.ts')).KudosRepository),
    recognitionFeed: repository(
      db,
      async () => (await import('./recognition-feed.ts')).RecognitionFeedRepository,
    ),
    milestoneRules: repository(
      db,
      async () => (await import('./milestone-rules.ts')).MilestoneRulesRepository,
    ),
    health: repository(db, async () => (await import('./health.ts')).HealthRepository),
    awardTypes: repository(db, async () => (await import('./recognition.ts')).AwardTypesRepository),
    nominations: repository(db, async () => (await import('./recognition.ts')).NominationsRepository),
    awards: repository(db, async () => (await import('./recognition.ts')).AwardsRepository),
    timers: repository(db, async () => (await import('./timers.ts')).TimersRepository),
    analytics: repository(db, async () => (await import('./analytics.ts')).AnalyticsRepository),
    surveys: repository(db, async () => (await import('./surveys.ts')).SurveysRepository),
    surveyInstances: repository(
      db,
      async () => (await import('./survey-instances.ts')).SurveyInstancesRepository,
    ),
    surveyResponses: repository(
      db,
      async () => (await import('./survey-responses.ts')).SurveyResponsesRepository,
    ),
    hrisConnections: repository(platform, async () => (await import('./hris.ts')).HrisConnectionsRepository),
    hrisInbox: repository(db, async () => (await import('./hris.ts')).HrisInboxRepository),
  };
}

export type TenantStore = ReturnType<typeof tenantStore>;
