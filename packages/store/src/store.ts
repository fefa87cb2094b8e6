import { AgreementsRepository } from './agreements.ts';
import { AnalyticsRepository } from './analytics.ts';
import { ApiKeysRepository } from './api-keys.ts';
import { AuditLogRepository } from './audit-log.ts';
import { CalendarFeedsRepository } from './calendar-feeds.ts';
import type { CursorCodec } from './cursor.ts';
import type { Db } from './db.ts';
import { DeliveriesRepository } from './deliveries.ts';
import { EnrollmentsRepository } from './enrollments.ts';
import { EventsRepository } from './events.ts';
import { GoalsRepository } from './goals.ts';
import { HealthRepository } from './health.ts';
import { HrisConnectionsRepository, HrisInboxRepository } from './hris.ts';
import { IdentityProvidersRepository } from './identity-providers.ts';
import { KudosRepository } from './kudos.ts';
import { MatchRunsRepository } from './match-runs.ts';
import { MeetingFeedbackRepository } from './meeting-feedback.ts';
import { MeetingsRepository } from './meetings.ts';
import { MilestoneRulesRepository } from './milestone-rules.ts';
import { MilestonesRepository } from './milestones.ts';
import { PeopleRepository } from './people.ts';
import { PeopleSourceRepository } from './people-source.ts';
import { PostsRepository } from './posts.ts';
import { PrivacyRepository } from './privacy.ts';
import { PrivateNotesRepository } from './private-notes.ts';
import { ProgramsRepository } from './programs.ts';
import { AwardsRepository, AwardTypesRepository, NominationsRepository } from './recognition.ts';
import { RecognitionFeedRepository } from './recognition-feed.ts';
import { ReflectionsRepository } from './reflections.ts';
import { RelationshipsRepository } from './relationships.ts';
import { RematchRequestsRepository } from './rematch-requests.ts';
import { type Clock, systemClock } from './repository.ts';
import { ResourcesRepository } from './resources.ts';
import { ScimRepository, ScimTokensRepository } from './scim.ts';
import { SurveyInstancesRepository } from './survey-instances.ts';
import { SurveyResponsesRepository } from './survey-responses.ts';
import { SurveysRepository } from './surveys.ts';
import { TimersRepository } from './timers.ts';
import { TrainingRepository } from './training.ts';
import { WebhookEndpointsRepository } from './webhook-endpoints.ts';

/**
 * Where a tenant's repositories read and write. In AWS `tenant` carries credentials scoped to
 * the tenant's partitions; API keys, identity providers and calendar feeds also write global
 * lookups (key hash → tenant, issuer → tenants, feed token → person), which lie outside every
 * tenant partition, so they go through `platform`.
 */
export interface TenantDbs {
  tenant: Db;
  platform: Db;
}

/** Every repository of one tenant, bound to that tenant's partition keys. */
export function tenantStore(
  { tenant: db, platform }: TenantDbs,
  tenantId: string,
  cursors: CursorCodec,
  clock: Clock = systemClock,
) {
  return {
    apiKeys: new ApiKeysRepository(platform, tenantId, cursors, clock),
    identityProviders: new IdentityProvidersRepository(platform, tenantId, cursors, clock),
    people: new PeopleRepository(db, tenantId, cursors, clock),
    peopleSource: new PeopleSourceRepository(db, tenantId, cursors, clock),
    scim: new ScimRepository(db, tenantId, cursors, clock),
    scimTokens: new ScimTokensRepository(platform, tenantId, cursors, clock),
    programs: new ProgramsRepository(db, tenantId, cursors, clock),
    enrollments: new EnrollmentsRepository(db, tenantId, cursors, clock),
    events: new EventsRepository(db, tenantId, cursors, clock),
    webhookEndpoints: new WebhookEndpointsRepository(db, tenantId, cursors, clock),
    deliveries: new DeliveriesRepository(db, tenantId, cursors, clock),
    matchRuns: new MatchRunsRepository(db, tenantId, cursors, clock),
    relationships: new RelationshipsRepository(db, tenantId, cursors, clock),
    resources: new ResourcesRepository(db, tenantId, cursors, clock),
    training: new TrainingRepository(db, tenantId, cursors, clock),
    posts: new PostsRepository(db, tenantId, cursors, clock),
    reflections: new ReflectionsRepository(db, tenantId, cursors, clock),
    rematchRequests: new RematchRequestsRepository(db, tenantId, cursors, clock),
    agreements: new AgreementsRepository(db, tenantId, cursors, clock),
    goals: new GoalsRepository(db, tenantId, cursors, clock),
    milestones: new MilestonesRepository(db, tenantId, cursors, clock),
    meetings: new MeetingsRepository(db, tenantId, cursors, clock),
    meetingFeedback: new MeetingFeedbackRepository(db, tenantId, cursors, clock),
    privateNotes: new PrivateNotesRepository(db, tenantId, cursors, clock),
    calendarFeeds: new CalendarFeedsRepository(platform, tenantId, cursors, clock),
    auditLog: new AuditLogRepository(db, tenantId, cursors, clock),
    privacy: new PrivacyRepository(db, tenantId, cursors, clock),
    kudos: new KudosRepository(db, tenantId, cursors, clock),
    recognitionFeed: new RecognitionFeedRepository(db, tenantId, cursors, clock),
    milestoneRules: new MilestoneRulesRepository(db, tenantId, cursors, clock),
    health: new HealthRepository(db, tenantId, cursors, clock),
    awardTypes: new AwardTypesRepository(db, tenantId, cursors, clock),
    nominations: new NominationsRepository(db, tenantId, cursors, clock),
    awards: new AwardsRepository(db, tenantId, cursors, clock),
    timers: new TimersRepository(db, tenantId, cursors, clock),
    analytics: new AnalyticsRepository(db, tenantId, cursors, clock),
    surveys: new SurveysRepository(db, tenantId, cursors, clock),
    surveyInstances: new SurveyInstancesRepository(db, tenantId, cursors, clock),
    surveyResponses: new SurveyResponsesRepository(db, tenantId, cursors, clock),
    hrisConnections: new HrisConnectionsRepository(platform, tenantId, cursors, clock),
    hrisInbox: new HrisInboxRepository(db, tenantId, cursors, clock),
  };
}

export type TenantStore = ReturnType<typeof tenantStore>;
