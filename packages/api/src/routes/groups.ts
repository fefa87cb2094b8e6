import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';

type RegisterRoutes = (app: OpenAPIHono<AppEnv>) => void;

/**
 * Every group of OpenAPI routes, one module each, in the order the app registers them (where two
 * patterns match a path, hono takes the one registered first). Each module loads on the first
 * request to one of its routes: its zod schemas, handlers and the use cases they call are code
 * that a cold start for another group neither reads nor compiles. The routes each group declares
 * are listed, without loading it, in `manifest.ts`.
 */
export const routeGroups = {
  tenants: () => import('./tenants.ts').then((module) => module.registerTenantRoutes),
  'api-keys': () => import('./api-keys.ts').then((module) => module.registerApiKeyRoutes),
  people: () => import('./people.ts').then((module) => module.registerPeopleRoutes),
  programs: () => import('./programs.ts').then((module) => module.registerProgramRoutes),
  enrollments: () => import('./enrollments.ts').then((module) => module.registerEnrollmentRoutes),
  'match-runs': () => import('./match-runs.ts').then((module) => module.registerMatchRunRoutes),
  relationships: () => import('./relationships.ts').then((module) => module.registerRelationshipRoutes),
  resources: () => import('./resources.ts').then((module) => module.registerResourceRoutes),
  training: () => import('./training.ts').then((module) => module.registerTrainingRoutes),
  reflections: () => import('./reflections.ts').then((module) => module.registerReflectionRoutes),
  'rematch-requests': () =>
    import('./rematch-requests.ts').then((module) => module.registerRematchRequestRoutes),
  posts: () => import('./posts.ts').then((module) => module.registerPostRoutes),
  agreements: () => import('./agreements.ts').then((module) => module.registerAgreementRoutes),
  goals: () => import('./goals.ts').then((module) => module.registerGoalRoutes),
  milestones: () => import('./milestones.ts').then((module) => module.registerMilestoneRoutes),
  meetings: () => import('./meetings.ts').then((module) => module.registerMeetingRoutes),
  feedback: () => import('./feedback.ts').then((module) => module.registerFeedbackRoutes),
  'calendar-feeds': () => import('./calendar-feeds.ts').then((module) => module.registerCalendarFeedRoutes),
  events: () => import('./events.ts').then((module) => module.registerEventRoutes),
  'webhook-endpoints': () =>
    import('./webhook-endpoints.ts').then((module) => module.registerWebhookEndpointRoutes),
  'identity-providers': () =>
    import('./identity-providers.ts').then((module) => module.registerIdentityProviderRoutes),
  me: () => import('./me.ts').then((module) => module.registerMeRoutes),
  recognition: () => import('./recognition.ts').then((module) => module.registerRecognitionRoutes),
  'milestone-rules': () =>
    import('./milestone-rules.ts').then((module) => module.registerMilestoneRuleRoutes),
  'audit-log': () => import('./audit-log.ts').then((module) => module.registerAuditLogRoutes),
  'scim-token': () => import('./scim-token.ts').then((module) => module.registerScimTokenRoutes),
  exports: () => import('./exports.ts').then((module) => module.registerExportRoutes),
  health: () => import('./health.ts').then((module) => module.registerHealthRoutes),
  analytics: () => import('./analytics.ts').then((module) => module.registerAnalyticsRoutes),
  surveys: () => import('./surveys.ts').then((module) => module.registerSurveyRoutes),
  'hris-connections': () =>
    import('./hris-connections.ts').then((module) => module.registerHrisConnectionRoutes),
  'hris-webhooks': () => import('./hris-webhooks.ts').then((module) => module.registerHrisWebhookRoutes),
  'people-source': () => import('./people-source.ts').then((module) => module.registerPeopleSourceRoutes),
  'award-types': () => import('./award-types.ts').then((module) => module.registerAwardTypeRoutes),
  nominations: () => import('./nominations.ts').then((module) => module.registerNominationRoutes),
  awards: () => import('./awards.ts').then((module) => module.registerAwardRoutes),
} satisfies Record<string, () => Promise<RegisterRoutes>>;

export type RouteGroup = keyof typeof routeGroups;
