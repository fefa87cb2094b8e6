import { domainEvent, ERASED_TEXT } from '@tandem/core';
import type { StoredItem } from '@tandem/store';
import {
  by,
  erasePageOf,
  mentioning,
  ofEntity,
  type PrivacyArea,
  programCollections,
  recordsOf,
  relationshipCollections,
  type Subject,
  scrub,
  withoutInternals,
} from './areas.ts';

const own = (s: Subject) => ({ in: 'person', personId: s.person.id }) as const;
const both =
  (...tests: ((item: StoredItem) => boolean)[]) =>
  (item: StoredItem) =>
    tests.every((test) => test(item));

/**
 * The areas of what Tandem holds about a person, in export order. Erasure runs the areas with
 * an `erase` in this order, then pseudonymizes the profile itself (see erase-person.ts), so the
 * person's names stay readable until every other area no longer holds them.
 */
export const privacyAreas: PrivacyArea[] = [
  {
    name: 'profile',
    async *collect(_ctx, s) {
      yield { ...s.person };
    },
  },
  {
    name: 'externalIds',
    async *collect(_ctx, s) {
      for (const [system, value] of Object.entries(s.person.externalIds ?? {})) yield { system, value };
    },
  },
  {
    // What the organization's identity provider sent (SCIM); deleted with its userName seat.
    name: 'provisioning',
    collect: (ctx, s) => recordsOf(ctx, [{ in: 'scim' }], both(ofEntity('scimUser'), by(s, 'personId'))),
    erase: (ctx, s, cursor) =>
      erasePageOf(ctx, [{ in: 'scim' }], cursor, async (item) =>
        ofEntity('scimUser', 'scimUserName')(item) && by(s, 'personId')(item)
          ? [await ctx.store.privacy.deleteOp(item.key)]
          : scrub(ctx, s, item),
      ),
  },
  {
    name: 'enrollments',
    collect: (ctx, s) =>
      recordsOf(ctx, programCollections(s, 'ENR#'), both(ofEntity('enrollment'), by(s, 'personId'))),
    // The goals they wrote when enrolling are theirs; role, status and dates stay for the program's figures.
    holdsErasedValues: true,
    erase: (ctx, s, cursor) =>
      erasePageOf(ctx, programCollections(s, 'ENR#'), cursor, (item) =>
        by(s, 'personId')(item) ? scrub(ctx, s, item, { replace: { goals: [] } }) : scrub(ctx, s, item),
      ),
  },
  {
    name: 'relationships',
    collect: (ctx, s) =>
      recordsOf(
        ctx,
        s.relationshipIds.map((id) => ({ in: 'tenant', prefix: `REL#${id}` })),
        ofEntity('relationship'),
      ),
    // The pair's record stays (the other member's history); only text naming the person changes.
    erase: (ctx, s, cursor) =>
      erasePageOf(
        ctx,
        s.relationshipIds.map((id) => ({ in: 'tenant', prefix: `REL#${id}` })),
        cursor,
        (item) => scrub(ctx, s, item),
      ),
  },
  {
    // Proposals name their people by id and explain pairs in their words (goals they wrote).
    name: 'matchProposals',
    erase: (ctx, s, cursor) =>
      erasePageOf(
        ctx,
        s.runIds.map((runId) => ({ in: 'proposals', runId })),
        cursor,
        (item) => scrub(ctx, s, item),
      ),
  },
  {
    name: 'agreements',
    collect: (ctx, s) =>
      recordsOf(ctx, relationshipCollections(s), ofEntity('agreement', 'agreementVersion')),
  },
  {
    name: 'goals',
    collect: (ctx, s) => recordsOf(ctx, relationshipCollections(s), ofEntity('goal', 'goalUpdate')),
  },
  {
    name: 'meetings',
    collect: (ctx, s) => recordsOf(ctx, relationshipCollections(s), ofEntity('meeting')),
  },
  {
    // Only their own: a private note lives in its author's partition.
    name: 'privateNotes',
    collect: (ctx, s) => recordsOf(ctx, [own(s)], ofEntity('privateNote')),
    erase: (ctx, s, cursor) =>
      erasePageOf(ctx, [own(s)], cursor, async (item) =>
        ofEntity('privateNote')(item) ? [await ctx.store.privacy.deleteOp(item.key)] : [],
      ),
  },
  {
    name: 'feedbackGiven',
    collect: (ctx, s) =>
      recordsOf(ctx, relationshipCollections(s), both(ofEntity('feedback'), by(s, 'personId'))),
  },
  {
    // The other member's feedback: their comment only where they shared it with admins.
    name: 'feedbackReceived',
    collect: (ctx, s) =>
      recordsOf(
        ctx,
        relationshipCollections(s),
        (item) => ofEntity('feedback')(item) && !by(s, 'personId')(item),
        (item) => {
          const { comment, ...rest } = withoutInternals(item.value);
          return item.value.shareCommentWithAdmins === true ? { ...rest, comment } : rest;
        },
      ),
  },
  {
    name: 'reflections',
    collect: (ctx, s) =>
      recordsOf(ctx, relationshipCollections(s), both(ofEntity('reflection'), by(s, 'personId'))),
  },
  {
    name: 'milestones',
    collect: (ctx, s) => recordsOf(ctx, relationshipCollections(s), ofEntity('milestone')),
  },
  {
    // One pass over their relationships' workspaces: what they wrote goes, ratings and statuses
    // stay (the program's figures), and the other member's records keep everything but mentions.
    name: 'workspaces',
    erase: (ctx, s, cursor) =>
      erasePageOf(ctx, relationshipCollections(s), cursor, (item) => {
        const theirs = by(s, 'personId')(item);
        if (ofEntity('reflection')(item) && theirs)
          return scrub(ctx, s, item, { drop: ['wentWell', 'learned', 'notes'] });
        if (ofEntity('feedback')(item) && theirs) return scrub(ctx, s, item, { drop: ['comment'] });
        if (ofEntity('goalUpdate')(item) && by(s, 'authorId')(item))
          return scrub(ctx, s, item, { drop: ['note'] });
        return scrub(ctx, s, item);
      }),
  },
  {
    name: 'rematchRequests',
    async *collect(ctx, s) {
      for await (const pointer of await ctx.store.privacy.all(own(s))) {
        if (!ofEntity('rematchPointer')(pointer)) continue;
        const request = await ctx.store.privacy.tenantItem(`RMR#${String(pointer.value.requestId)}`);
        if (request) yield withoutInternals(request.value);
      }
    },
    // Their explanation goes; reason, status and the admin's resolution stay.
    async erase(ctx, s, cursor) {
      const page = await ctx.store.privacy.page(own(s), cursor);
      const ops = [];
      for (const pointer of page.items.filter(ofEntity('rematchPointer'))) {
        const request = await ctx.store.privacy.tenantItem(`RMR#${String(pointer.value.requestId)}`);
        if (request) ops.push(...(await scrub(ctx, s, request, { drop: ['detail'] })));
      }
      return { ops, next: page.next };
    },
  },
  {
    name: 'surveys',
    async *collect(ctx, s) {
      for await (const item of await ctx.store.privacy.all(own(s))) {
        if (!ofEntity('surveyInstance')(item)) continue;
        const response = item.value.responseId
          ? await ctx.store.privacy.tenantItem(`RSP#${String(item.value.responseId)}`)
          : undefined;
        yield {
          ...withoutInternals(item.value),
          ...(response ? { response: withoutInternals(response.value) } : {}),
        };
      }
    },
    // Their free-text answers go; scores and choices stay for the program's results.
    async erase(ctx, s, cursor) {
      const page = await ctx.store.privacy.page(own(s), cursor);
      const ops = [];
      for (const instance of page.items.filter(ofEntity('surveyInstance'))) {
        if (!instance.value.responseId) continue;
        const response = await ctx.store.privacy.tenantItem(`RSP#${String(instance.value.responseId)}`);
        if (!response) continue;
        const survey = await ctx.store.surveys.get(
          String(instance.value.programId),
          String(instance.value.surveyId),
        );
        const freeText = new Set(survey.questions.filter((q) => q.kind === 'free_text').map((q) => q.id));
        const answers = (response.value.answers as { questionId: string; value: unknown }[]).map((a) =>
          freeText.has(a.questionId) ? { ...a, value: ERASED_TEXT } : a,
        );
        // An answer already erased is left as it is, so a repeated erasure writes nothing.
        const stored = response.value.answers as { value: unknown }[];
        const erased = stored.some((a, i) => a.value !== answers[i]!.value);
        ops.push(...(await scrub(ctx, s, response, erased ? { replace: { answers } } : {})));
      }
      return { ops, next: page.next };
    },
  },
  {
    name: 'posts',
    collect: (ctx, s) =>
      recordsOf(
        ctx,
        [...programCollections(s, 'POST#'), ...programCollections(s, 'REPLY#')],
        both(ofEntity('post', 'postReply'), by(s, 'authorId')),
      ),
    erase: (ctx, s, cursor) =>
      erasePageOf(
        ctx,
        [...programCollections(s, 'POST#'), ...programCollections(s, 'REPLY#')],
        cursor,
        (item) => {
          if (!by(s, 'authorId')(item)) return scrub(ctx, s, item);
          return ofEntity('post')(item)
            ? scrub(ctx, s, item, { replace: { title: ERASED_TEXT }, drop: ['text', 'url'] })
            : scrub(ctx, s, item, { replace: { text: ERASED_TEXT } });
        },
      ),
  },
  {
    // Kudos they sent (their message is theirs) and received; the feed holds a copy of each.
    name: 'kudos',
    collect: (ctx, s) =>
      recordsOf(
        ctx,
        [{ in: 'tenant', prefix: 'KUDOS#' }],
        (item) => by(s, 'senderId')(item) || by(s, 'recipientId')(item),
      ),
    erase: (ctx, s, cursor) =>
      erasePageOf(ctx, [{ in: 'tenant', prefix: 'KUDOS#' }], cursor, (item) =>
        by(s, 'senderId')(item)
          ? scrub(ctx, s, item, { replace: { message: ERASED_TEXT } })
          : scrub(ctx, s, item),
      ),
  },
  {
    // Copies of the kudos above (exported there), erased like them.
    name: 'recognitionFeed',
    erase: (ctx, s, cursor) =>
      erasePageOf(ctx, [{ in: 'feed' }], cursor, (item) => {
        const kudos = item.value.kudos as Record<string, unknown> | undefined;
        return kudos?.senderId === s.person.id
          ? scrub(ctx, s, item, { replace: { kudos: { ...kudos, message: ERASED_TEXT } } })
          : scrub(ctx, s, item);
      }),
  },
  {
    // Nominations of them and by them (a reason they wrote is theirs), and their awards.
    name: 'recognition',
    collect: (ctx, s) =>
      recordsOf(
        ctx,
        [
          { in: 'tenant', prefix: 'NOM#' },
          { in: 'tenant', prefix: 'AWARD#' },
        ],
        (item) =>
          by(s, 'personId')(item) ||
          (item.value.nominatedBy as { personId?: string } | undefined)?.personId === s.person.id,
      ),
    erase: (ctx, s, cursor) =>
      erasePageOf(
        ctx,
        [
          { in: 'tenant', prefix: 'NOM#' },
          { in: 'tenant', prefix: 'AWARD#' },
        ],
        cursor,
        (item) =>
          (item.value.nominatedBy as { personId?: string } | undefined)?.personId === s.person.id
            ? scrub(ctx, s, item, { replace: { reason: ERASED_TEXT } })
            : scrub(ctx, s, item),
      ),
  },
  {
    name: 'milestonesEarned',
    collect: (ctx, s) => recordsOf(ctx, [own(s)], ofEntity('earnedMilestone')),
  },
  {
    // What each HRIS connection last said of them (name, email, job): the person stays mapped to
    // their employee record, whose values are pseudonymized like the profile.
    name: 'hrisRecords',
    collect: (ctx, s) =>
      recordsOf(
        ctx,
        s.connectionIds.map((connectionId) => ({ in: 'hris', connectionId })),
        both(ofEntity('hrisEmployee'), by(s, 'personId')),
      ),
    erase: (ctx, s, cursor) =>
      erasePageOf(
        ctx,
        s.connectionIds.map((connectionId) => ({ in: 'hris', connectionId })),
        cursor,
        (item) => scrub(ctx, s, item),
      ),
  },
  {
    name: 'trainingRecords',
    collect: (ctx, s) => recordsOf(ctx, [own(s)], ofEntity('trainingRecord')),
  },
  {
    // The feed URL is a credential: it stops working, as if they had revoked it.
    name: 'calendarFeed',
    collect: (ctx, s) =>
      recordsOf(ctx, [own(s)], ofEntity('calendarFeed'), (item) => ({ createdAt: item.value.createdAt })),
    async erase(ctx, s) {
      const feed = await ctx.store.calendarFeeds.current(s.person.id);
      if (!feed) return { ops: [] };
      await ctx.store.calendarFeeds.revoke(
        feed,
        domainEvent('calendar_feed.revoked', { personId: s.person.id }),
      );
      return { ops: [], committed: 1 };
    },
  },
  {
    name: 'auditEntries',
    collect: (ctx, s) => recordsOf(ctx, [{ in: 'audit' }], mentioning(s)),
  },
  {
    // The outbox within its retention: payloads keep their shape, with the person's values replaced.
    name: 'events',
    collect: (ctx, s) => recordsOf(ctx, [{ in: 'events' }], mentioning(s)),
    erase: (ctx, s, cursor) => erasePageOf(ctx, [{ in: 'events' }], cursor, (item) => scrub(ctx, s, item)),
  },
  {
    // Queued and logged deliveries carry a copy of the event: a retry or a redelivery sends the scrubbed copy.
    name: 'webhookDeliveries',
    erase: (ctx, s, cursor) =>
      erasePageOf(
        ctx,
        s.endpointIds.map((endpointId) => ({ in: 'deliveries', endpointId })),
        cursor,
        (item) => scrub(ctx, s, item),
      ),
  },
];
