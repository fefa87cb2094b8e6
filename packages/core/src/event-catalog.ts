import * as z from 'zod';
import { scopes } from './api-key.ts';
import { enrollmentRoles } from './enrollment.ts';
import { type EventType, eventTypes } from './events.ts';
import { goalStatuses } from './goal.ts';
import { idSchema } from './id-schema.ts';
import { kudosVisibilities } from './kudos.ts';
import { milestoneTriggers } from './milestone.ts';
import { milestoneRuleKinds } from './milestone-rule.ts';
import { personStatuses } from './person.ts';
import { programFormats, programStatuses } from './program.ts';
import { dissolveReasons, relationshipStatuses } from './relationship.ts';
import { rematchReasons, rematchResolutions } from './rematch.ts';
import { resourceKinds } from './resource.ts';
import { scimGroupEventData } from './scim.ts';
import { scheduleKinds } from './survey.ts';

const hrisConnectionEvent = { connectionId: idSchema('hrisConnection'), provider: z.string() };

const changed = z.array(z.string()).meta({ description: 'Names of the fields the change set' });

const person = {
  personId: idSchema('person'),
  email: z.string(),
  department: z.string().optional(),
  status: z.enum(personStatuses),
};
const program = {
  programId: idSchema('program'),
  name: z.string(),
  format: z.enum(programFormats),
  status: z.enum(programStatuses),
};
const enrollment = {
  enrollmentId: idSchema('enrollment'),
  programId: idSchema('program'),
  personId: idSchema('person'),
  role: z.enum(enrollmentRoles),
};
const libraryResource = {
  resourceId: idSchema('resource'),
  kind: z.enum(resourceKinds),
  title: z.string(),
  trainingModule: z.boolean(),
};
const inRelationship = { relationshipId: idSchema('relationship'), programId: idSchema('program') };
const goal = {
  ...inRelationship,
  goalId: idSchema('goal'),
  ownerId: idSchema('person').optional(),
  status: z.enum(goalStatuses),
  progress: z.int(),
};
const meeting = {
  relationshipId: idSchema('relationship'),
  meetingId: idSchema('meeting'),
  startsAt: z.string(),
  durationMinutes: z.int(),
};
const endpoint = { endpointId: idSchema('webhookEndpoint'), url: z.string() };
const endedBy = idSchema('person')
  .optional()
  .meta({ description: 'The member who ended it; absent for an admin' });
const postRef = { postId: idSchema('post'), programId: idSchema('program') };
const moderated = {
  ...postRef,
  replyId: idSchema('postReply').optional().meta({ description: 'Set when a reply, not the post' }),
};
const nominationEventData = {
  nominationId: idSchema('nomination'),
  personId: idSchema('person'),
  awardTypeId: idSchema('awardType'),
  programId: idSchema('program').optional(),
};
const rematch = {
  requestId: idSchema('rematchRequest'),
  relationshipId: idSchema('relationship'),
  programId: idSchema('program'),
  personId: idSchema('person'),
};

/**
 * Every event type with its thin payload: ids plus the fields a subscriber needs to act without
 * a read-back. This catalog is what `GET /v1/event-types` and the OpenAPI document publish. It
 * names exactly the types of `eventTypes` (events.ts), which the compiler checks: that list is
 * apart so that code which only writes, stores or relays events (the webhook functions) loads
 * none of these schemas, nor the modules whose enums they use.
 */
export const eventCatalog = {
  'tenant.created': {
    description: 'An organization was created',
    data: { tenantId: idSchema('tenant'), name: z.string() },
  },
  'tenant.updated': {
    description: 'An organization was renamed, re-tiered, suspended or reactivated',
    data: { tenantId: idSchema('tenant'), changed },
  },
  'api_key.created': {
    description: 'An API key was created or issued by rotation',
    data: {
      keyId: idSchema('apiKey'),
      scopes: z.array(z.enum(scopes)),
      rotatedFrom: idSchema('apiKey').optional(),
    },
  },
  'api_key.revoked': { description: 'An API key was revoked', data: { keyId: idSchema('apiKey') } },
  'person.created': { description: 'A person was added', data: person },
  'person.updated': {
    description: "A person's profile or status changed (status left: a leaver)",
    data: { ...person, changed },
  },
  'program.created': { description: 'A program was created as a draft', data: program },
  'program.updated': { description: "A program's settings changed", data: { ...program, changed } },
  'program.status_changed': {
    description: 'A program moved through its lifecycle',
    data: { programId: idSchema('program'), from: z.enum(programStatuses), to: z.enum(programStatuses) },
  },
  'program.deleted': { description: 'A draft program was deleted', data: { programId: idSchema('program') } },
  'enrollment.created': { description: 'A person enrolled in a program', data: enrollment },
  'enrollment.updated': { description: 'An enrollment changed', data: { ...enrollment, changed } },
  'enrollment.withdrawn': { description: 'An enrollment was withdrawn; the seat is free', data: enrollment },
  'match_run.started': {
    description: 'A matching run started for a program',
    data: { runId: idSchema('matchRun'), programId: idSchema('program'), dryRun: z.boolean() },
  },
  'match_run.awaiting_review': {
    description: 'A matching run staged its proposals for review',
    data: {
      runId: idSchema('matchRun'),
      programId: idSchema('program'),
      proposals: z.int(),
      unmatched: z.int(),
    },
  },
  'match_run.failed': {
    description: 'A matching run failed',
    data: { runId: idSchema('matchRun'), programId: idSchema('program'), error: z.string() },
  },
  'match_run.cancelled': {
    description: 'A matching run was cancelled',
    data: { runId: idSchema('matchRun'), programId: idSchema('program') },
  },
  'match.published': {
    description: "A run's approved proposals were published as relationships",
    data: {
      runId: idSchema('matchRun'),
      programId: idSchema('program'),
      relationships: z.int(),
      skipped: z.int(),
    },
  },
  'relationship.started': {
    description: 'A mentoring relationship started (published from a run, or matched by hand)',
    data: {
      relationshipId: idSchema('relationship'),
      programId: idSchema('program'),
      personIds: z.array(idSchema('person')),
      source: z.enum(['match_run', 'manual']),
      status: z
        .enum(relationshipStatuses)
        .meta({ description: '`pending_agreement` where the program requires an agreement, else `active`' }),
    },
  },
  'relationship.completed': {
    description: 'A relationship ran its course',
    data: {
      relationshipId: idSchema('relationship'),
      programId: idSchema('program'),
      personIds: z.array(idSchema('person')),
      endedBy,
    },
  },
  'relationship.dissolved': {
    description: 'A relationship was dissolved; its members may be matched again',
    data: {
      relationshipId: idSchema('relationship'),
      programId: idSchema('program'),
      personIds: z.array(idSchema('person')),
      reason: z.enum(dissolveReasons),
      endedBy,
    },
  },
  'resource.created': {
    description: 'A resource was added to the library',
    data: libraryResource,
  },
  'resource.updated': { description: 'A library resource changed', data: { ...libraryResource, changed } },
  'resource.archived': {
    description: 'A library resource was archived',
    data: { resourceId: idSchema('resource') },
  },
  'training.completed': {
    description: 'A participant completed a training module (self-attested, or by passing its quiz)',
    data: {
      personId: idSchema('person'),
      resourceId: idSchema('resource'),
      method: z.enum(['self_attested', 'quiz']),
      scorePercent: z.int().optional(),
    },
  },
  'training.quiz_failed': {
    description: "A participant's quiz attempt on a training module did not reach the pass mark",
    data: {
      personId: idSchema('person'),
      resourceId: idSchema('resource'),
      scorePercent: z.int(),
      attemptCount: z.int(),
    },
  },
  'reflection.written': {
    description: 'A member wrote their closing reflection on a relationship (its words stay in Tandem)',
    data: {
      relationshipId: idSchema('relationship'),
      programId: idSchema('program'),
      personId: idSchema('person'),
    },
  },
  'rematch.requested': {
    description: 'A member asked to be matched with someone else; the request waits in the admin queue',
    data: { ...rematch, reason: z.enum(rematchReasons) },
  },
  'rematch.resolved': {
    description: 'An admin resolved a rematch request',
    data: { ...rematch, resolution: z.enum(rematchResolutions) },
  },
  'post.created': {
    description: "Someone shared a post with a program's community",
    data: { ...postRef, authorId: idSchema('person').optional() },
  },
  'post.updated': { description: 'Its author changed a post', data: { ...postRef, changed } },
  'post.deleted': { description: 'Its author deleted a post', data: postRef },
  'post.replied': {
    description: 'Someone replied to a post',
    data: { ...postRef, replyId: idSchema('postReply'), authorId: idSchema('person').optional() },
  },
  'post.reply_deleted': {
    description: 'Its author deleted a reply',
    data: { ...postRef, replyId: idSchema('postReply') },
  },
  'post.hidden': { description: 'An admin hid a post or a reply from the participants', data: moderated },
  'post.unhidden': { description: 'An admin made a hidden post or reply visible again', data: moderated },
  'relationship.activated': {
    description:
      'Every member accepted the agreement of a relationship pending it; the relationship is active',
    data: { ...inRelationship, personIds: z.array(idSchema('person')) },
  },
  'agreement.updated': {
    description: 'A new version of a relationship agreement was written; every member has to accept it again',
    data: { ...inRelationship, version: z.int(), changed },
  },
  'agreement.accepted': {
    description: 'A member accepted a version of the relationship agreement',
    data: {
      ...inRelationship,
      personId: idSchema('person'),
      version: z.int(),
      acceptedByAll: z.boolean().meta({ description: 'This acceptance was the last one the version needed' }),
    },
  },
  'milestone.reached': {
    description: 'A relationship reached one of its milestones',
    data: {
      ...inRelationship,
      key: z.string(),
      trigger: z.enum(milestoneTriggers),
      personId: idSchema('person').optional().meta({ description: 'The member who marked it reached' }),
    },
  },
  'goal.created': { description: 'A goal was set in a relationship', data: goal },
  'goal.updated': {
    description: "A goal changed (its progress, status or terms); a progress note's text is not included",
    data: { ...goal, changed },
  },
  'meeting.scheduled': {
    description: 'A meeting of a relationship was scheduled',
    data: { ...meeting, personIds: z.array(idSchema('person')) },
  },
  'meeting.rescheduled': {
    description: 'A scheduled meeting was moved, or its place, link or agenda changed',
    data: { ...meeting, changed },
  },
  'meeting.logged': {
    description: 'What happened at a meeting was recorded (notes stay out of events)',
    data: {
      relationshipId: idSchema('relationship'),
      meetingId: idSchema('meeting'),
      outcome: z.enum(['held', 'cancelled', 'no_show']),
      attendance: z.array(z.strictObject({ personId: idSchema('person'), attended: z.boolean() })),
    },
  },
  'meeting.upcoming': {
    description:
      'A scheduled meeting starts within a day: a reminder for its members (sent once per start time)',
    data: { ...meeting, personIds: z.array(idSchema('person')) },
  },
  'feedback.submitted': {
    description: 'An attendee rated a held meeting (the comment and the author stay out of events)',
    data: {
      relationshipId: idSchema('relationship'),
      meetingId: idSchema('meeting'),
      feedbackId: idSchema('feedback'),
      rating: z.int(),
      pairingWorking: z.enum(['yes', 'somewhat', 'no']).optional(),
    },
  },
  'calendar_feed.created': {
    description: 'A person created or rotated their calendar feed (the URL stays out of events)',
    data: { personId: idSchema('person'), rotated: z.boolean() },
  },
  'calendar_feed.revoked': {
    description: 'A person revoked their calendar feed',
    data: { personId: idSchema('person') },
  },
  'identity_provider.created': {
    description: 'An identity provider was configured: its tokens now sign participants in',
    data: { providerId: idSchema('identityProvider'), issuer: z.string() },
  },
  'identity_provider.updated': {
    description: "An identity provider's issuer, audience, keys or claim mapping changed",
    data: { providerId: idSchema('identityProvider'), issuer: z.string(), changed },
  },
  'identity_provider.deleted': {
    description: 'An identity provider was removed: its tokens no longer sign anyone in',
    data: { providerId: idSchema('identityProvider'), issuer: z.string() },
  },
  'scim_token.issued': {
    description: 'A SCIM token was issued; the one it replaces, if any, stopped working',
    data: { tokenId: idSchema('scimToken'), replaces: idSchema('scimToken').optional() },
  },
  'scim_token.revoked': {
    description: 'The SCIM token was revoked: provisioning calls are refused until a new one is issued',
    data: { tokenId: idSchema('scimToken') },
  },
  'scim_group.created': { description: 'An identity provider provisioned a group', data: scimGroupEventData },
  'scim_group.updated': {
    description: "A provisioned group's name or members changed",
    data: { ...scimGroupEventData, changed },
  },
  'scim_group.deleted': { description: 'An identity provider deleted a group', data: scimGroupEventData },
  'relationship.at_risk': {
    description:
      "A relationship's health score fell below its program's threshold (raised once; again only after it recovered)",
    data: { ...inRelationship, score: z.int(), threshold: z.int(), reasons: z.array(z.string()) },
  },
  'relationship.recovered': {
    description: "An at-risk relationship's health score is back at or above its program's threshold",
    data: { ...inRelationship, score: z.int(), threshold: z.int() },
  },
  'meeting.overdue': {
    description:
      "A relationship's members have not held a meeting within the agreed interval plus the program's grace days (once per overdue period)",
    data: {
      ...inRelationship,
      personIds: z.array(idSchema('person')),
      lastMetAt: z
        .string()
        .meta({ description: 'When the last held meeting started, or the relationship if none was held' }),
      intervalDays: z.int(),
    },
  },
  'endpoint.created': { description: 'A webhook endpoint was registered', data: endpoint },
  'endpoint.updated': {
    description: 'A webhook endpoint was changed, re-enabled or had its secret rotated',
    data: { ...endpoint, changed },
  },
  'endpoint.deleted': {
    description: 'A webhook endpoint was deleted',
    data: { endpointId: idSchema('webhookEndpoint') },
  },
  'endpoint.disabled': {
    description: 'Tandem disabled a webhook endpoint (it answered 410 Gone, or failed for 5 days)',
    data: { ...endpoint, reason: z.string() },
  },
  'person.erased': {
    description:
      "A person was erased (GDPR): their names, contact details and own free text are pseudonymized everywhere; earlier events' payloads no longer carry them",
    data: { personId: idSchema('person') },
  },
  'kudos.given': {
    description: 'Someone thanked someone (the message stays out of events)',
    data: {
      kudosId: idSchema('kudos'),
      senderId: idSchema('person'),
      recipientId: idSchema('person'),
      visibility: z.enum(kudosVisibilities),
      programId: idSchema('program').optional(),
      skill: z.string().optional(),
      sentByAdmin: z.boolean(),
    },
  },
  'kudos.deleted': {
    description: 'Its sender or an admin took a kudos off the feed',
    data: { kudosId: idSchema('kudos'), senderId: idSchema('person'), recipientId: idSchema('person') },
  },
  'recognition_settings.updated': {
    description: "An admin changed the organization's recognition settings",
    data: { kudosPerSenderPerDay: z.int() },
  },
  'milestone_rule.created': {
    description: 'An admin added a milestone rule to a program',
    data: {
      ruleId: idSchema('milestoneRule'),
      programId: idSchema('program'),
      kind: z.enum(milestoneRuleKinds),
      awardTypeId: z.string().optional(),
    },
  },
  'milestone_rule.deleted': {
    description: 'An admin removed a milestone rule; milestones it earned stay earned',
    data: { ruleId: idSchema('milestoneRule'), programId: idSchema('program') },
  },
  'milestone.earned': {
    description: 'A person met a program milestone rule (once per rule and person); awards react to it',
    data: {
      personId: idSchema('person'),
      programId: idSchema('program'),
      ruleId: idSchema('milestoneRule'),
      milestone: z.string().meta({ description: "The rule's name" }),
      awardTypeId: z.string().optional(),
    },
  },
  'survey.created': {
    description: 'A survey was defined for a program',
    data: { surveyId: idSchema('survey'), programId: idSchema('program') },
  },
  'survey.updated': {
    description: "A survey's questions, schedules or title changed",
    data: { surveyId: idSchema('survey'), programId: idSchema('program'), changed },
  },
  'survey.due': {
    description: 'A survey instance opened for a participant: a nudge to answer it by `dueAt`',
    data: {
      programId: idSchema('program'),
      surveyId: idSchema('survey'),
      instanceId: idSchema('surveyInstance').optional().meta({
        description:
          'Absent in anonymous programs: with it, `survey.answered` (which names the instance) would tell who answered',
      }),
      personId: idSchema('person'),
      scheduleKind: z.enum(scheduleKinds),
      dueAt: z.string(),
      expiresAt: z.string(),
    },
  },
  'survey.answered': {
    description:
      'A participant answered a survey instance, or changed their answers before it closed (no answers, and no person, in the event)',
    data: {
      programId: idSchema('program'),
      surveyId: idSchema('survey'),
      instanceId: idSchema('surveyInstance'),
      responseId: idSchema('surveyResponse'),
      kind: z.enum(scheduleKinds).meta({ description: 'The schedule the instance was opened under' }),
    },
  },
  'survey.expired': {
    description: 'A survey instance closed without an answer',
    data: {
      programId: idSchema('program'),
      surveyId: idSchema('survey'),
      instanceId: idSchema('surveyInstance'),
      scheduleKind: z.enum(scheduleKinds),
    },
  },
  'hris_connection.created': {
    description: 'An HRIS connection was set up: its webhook URL now accepts signed employee changes',
    data: hrisConnectionEvent,
  },
  'hris_connection.updated': {
    description: "An HRIS connection's name, status, field mapping or secrets changed",
    data: { ...hrisConnectionEvent, changed },
  },
  'hris_connection.deleted': {
    description: 'An HRIS connection was removed: its webhook URL answers 404',
    data: hrisConnectionEvent,
  },
  'people_source.updated': {
    description:
      "The organization's source of truth for people changed (none, scim or hris:<connectionId>): only it writes the synced person fields",
    data: { source: z.string(), previous: z.string() },
  },
  'award_type.created': {
    description: 'An admin defined an award type',
    data: { awardTypeId: idSchema('awardType'), name: z.string(), requiresApproval: z.boolean() },
  },
  'nomination.created': {
    description: 'Someone nominated a person for an award',
    data: nominationEventData,
  },
  'nomination.approved': { description: 'An admin approved a nomination', data: nominationEventData },
  'nomination.rejected': { description: 'An admin rejected a nomination', data: nominationEventData },
  'recognition.awarded': {
    description:
      'A person received an award; `certificateUrl` downloads its PDF certificate without credentials until `certificateUrlExpiresAt`',
    data: {
      awardId: idSchema('award'),
      personId: idSchema('person'),
      personName: z.string(),
      awardTypeId: idSchema('awardType'),
      awardName: z.string(),
      programId: idSchema('program').optional(),
      certificateUrl: z.string().optional(),
      certificateUrlExpiresAt: z.string().optional(),
    },
  },
} as const satisfies { readonly [T in EventType]: EventSpec };

/** The description and payload fields of one event type. */
interface EventSpec {
  description: string;
  data: z.ZodRawShape;
}

export const eventDataSchemas = Object.fromEntries(
  eventTypes.map((type) => [type, z.strictObject(eventCatalog[type].data)]),
) as { [T in EventType]: z.ZodObject<(typeof eventCatalog)[T]['data']> };

export type EventData<T extends EventType> = z.infer<(typeof eventDataSchemas)[T]>;

/**
 * The envelope subscribers receive (webhooks and `GET /v1/events`): stable field names,
 * independent of how the outbox stores events.
 */
export function envelopeSchemaFor<T extends EventType>(type: T) {
  return z
    .object({
      id: idSchema('event').meta({
        description: 'Unique per event; also the webhook-id header, the same on every retry',
      }),
      type: z.literal(type),
      timestamp: z.iso.datetime({ offset: true }),
      tenantId: idSchema('tenant'),
      data: eventDataSchemas[type],
    })
    .meta({
      id: `Event_${type.replace('.', '_')}`,
      description: eventCatalog[type].description,
    });
}
