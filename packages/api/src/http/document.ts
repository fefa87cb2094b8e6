import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { registerAllRouteGroups } from './lazy-routes.ts';
import { finishDocument } from './openapi.ts';

// `/openapi.json` is generated from every group, registered on an app that serves nothing else;
// this module loads on the first request for it, so no cold start builds the document's parts.

const openApiInfo = {
  openapi: '3.1.0',
  info: {
    title: 'Tandem API',
    version: '1.0.0',
    description:
      'Run peer mentoring programs: enrol people, match them, run the relationships, measure impact. ' +
      'Authenticate with `Authorization: Bearer <API key>`, or as a participant with a token of an identity ' +
      'provider your organization configured. Errors are RFC 9457 problem details.',
  },
  servers: [
    {
      url: '/',
      'x-internal': false,
      description:
        'Where this document is served from: http://localhost:3000 under `npm start`, or the stage URL ' +
        '(https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/) in AWS',
    },
  ],
  tags: [
    {
      name: 'Tenants (operator)',
      description: 'Organizations, managed by the platform operator with the operator key',
    },
    { name: 'API keys', description: 'Scoped, revocable, rotatable keys of an organization' },
    { name: 'People', description: 'The people of an organization, kept in sync with its HR system' },
    { name: 'Programs', description: 'Mentoring programs and their lifecycle' },
    {
      name: 'Enrollments',
      description: 'Who takes part in a program, in which role, with what goals and availability',
    },
    { name: 'Matching runs', description: 'Matching runs, their proposals, review and publication' },
    { name: 'Relationships', description: 'Active, completed and dissolved mentoring pairs and circles' },
    {
      name: 'Resources',
      description:
        "The organization's library: articles, links and checklists, some of them training modules",
    },
    {
      name: 'Training',
      description: 'Required training per program and role, and what participants completed',
    },
    {
      name: 'Surveys',
      description: "Programs' survey definitions and results, and the surveys put to participants",
    },
    {
      name: 'Rematch requests',
      description: "Participants' requests to be matched with someone else, and the admins' queue",
    },
    {
      name: 'Community',
      description: "Posts and replies shared within a program's community, moderated by admins",
    },
    {
      name: 'Agreements',
      description:
        "A relationship's agreement: shared goals, expectations, boundaries, cadence; versioned, accepted by every member",
    },
    {
      name: 'Goals',
      description: 'Goals of a relationship or of one member, with their history of progress',
    },
    { name: 'Milestones', description: "A relationship's milestones, from its program's templates" },
    {
      name: 'Meetings',
      description:
        "A relationship's meetings: scheduled, rescheduled, logged; and each member's private notes",
    },
    {
      name: 'Feedback',
      description: 'Ratings of held meetings by their attendees, and aggregates for admins',
    },
    {
      name: 'Calendar feeds',
      description: "Each participant's secret iCalendar feed of their meetings, for calendar apps",
    },
    { name: 'Events', description: 'The domain events of an organization, as webhooks deliver them' },
    { name: 'Webhooks', description: 'Endpoints that receive signed events, and their delivery logs' },
    {
      name: 'Identity providers',
      description: "OIDC issuers whose tokens sign in the organization's participants",
    },
    {
      name: 'Analytics',
      description: 'Measuring a program: its numbers, CSV exports of its data and a printable report',
    },
    {
      name: 'Audit log',
      description: 'Who changed what, when and from where: append-only, per tier retention, exportable',
    },
    {
      name: 'SCIM provisioning',
      description:
        'The SCIM token with which Okta or Microsoft Entra ID provision people through /scim/v2 (SCIM 2.0, RFC 7644; see docs/scim.md)',
    },
    {
      name: 'HRIS connections',
      description:
        'HR systems (BambooHR, HiBob, Gusto, Merge, Finch, Personio, or any Standard Webhooks sender) that keep people in sync through signed webhooks (see docs/hris.md)',
    },
    {
      name: 'Me (participants)',
      description: "A participant's own profile and enrollments, called with their organization's token",
    },
    {
      name: 'Recognition',
      description:
        'Kudos, the recognition feed, milestone rules, award types, nominations and their approval, and awards with PDF certificates granted by the recognition workflow',
    },
    {
      name: 'Relationship health',
      description: 'Health scores of relationships, explained, and the relationships at risk',
    },
  ],
};

/** The OpenAPI 3.1 document of every route group. */
export async function openApiDocument(): Promise<unknown> {
  const documented = new OpenAPIHono<AppEnv>();
  documented.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      "A tenant API key (`tdm_live_…`), the operator key for /v1/tenants, or a participant's JWT from an identity provider the organization configured",
  });
  await registerAllRouteGroups(documented);
  return finishDocument(documented.getOpenAPI31Document({ ...openApiInfo, security: [{ apiKey: [] }] }));
}
