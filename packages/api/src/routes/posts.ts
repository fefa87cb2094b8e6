import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createPost,
  deletePost,
  deleteReply,
  getPost,
  listPosts,
  moderate,
  replyToPost,
  updatePost,
} from '@tandem/app';
import {
  moderationInput,
  type Post,
  type PostReply,
  post,
  postInput,
  postPatch,
  postReply,
  postWithReplies,
  replyInput,
  skillName,
} from '@tandem/core';
import { type AppEnv, actorContext, adminKeyId, tenantContext } from '../env.ts';
import { etagOf, preconditionOf } from '../http/etag.ts';
import { idempotency, requireActor, requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  idempotencyHeaders,
  idParams,
  ifMatchHeaders,
  jsonBody,
  jsonResponse,
  listQueryFields,
  pageOf,
  problemResponses,
  route,
} from '../http/openapi.ts';

const tags = ['Community'];
const programParams = idParams({ programId: 'program' });
const postParams = idParams({ programId: 'program', postId: 'post' });
const replyParams = idParams({ programId: 'program', postId: 'post', replyId: 'postReply' });
const postingHeaders = ifMatchHeaders.extend(idempotencyHeaders.shape);

const listQuery = z.strictObject({
  ...listQueryFields,
  tag: skillName.optional().meta({ description: 'Only posts with this tag (compared case-insensitively)' }),
});

const WHO =
  "A participant reaches a program's community while they hold an active enrollment in it (anyone else gets 404); admins reach every program's.";

export function registerPostRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/posts',
      operationId: 'createPost',
      description: `Shares a post with the program's participants: a title, text and/or a link, and skill tags. ${WHO} Needs \`programs:write\` or a participant token.`,
      tags,
      summary: "Share a post with the program's community",
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params: programParams, headers: idempotencyHeaders, ...jsonBody(postInput) },
      responses: {
        201: jsonResponse(post, 'Created'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const value = await createPost(actorContext(c), programId, c.req.valid('json'));
      c.header('location', `/v1/programs/${programId}/posts/${value.id}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/posts',
      operationId: 'listPosts',
      description: `Lists the program's posts, newest first, optionally those with a tag. Participants see the visible ones; admins also the hidden ones, with the moderation reason. ${WHO} Needs \`read\` or \`programs:write\`, or a participant token.`,
      tags,
      summary: "List a program's posts, newest first",
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: programParams, query: listQuery },
      responses: {
        200: jsonResponse(pageOf(post, 'PostPage'), 'A page of posts'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId } = c.req.valid('param');
      const { limit, cursor, tag } = c.req.valid('query');
      return c.json(await listPosts(actorContext(c), programId, { tag }, { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/programs/{programId}/posts/{postId}',
      operationId: 'getPost',
      description: `Returns a post with its replies, oldest first. A hidden post or reply is gone for participants (404, or left out) and shown to admins with its moderation. ${WHO} Needs \`read\` or \`programs:write\`, or a participant token.`,
      tags,
      summary: 'A post with its replies',
      middleware: [requireActor('read', 'programs:write')] as const,
      request: { params: postParams },
      responses: {
        200: jsonResponse(postWithReplies, 'The post and its replies'),
        ...problemResponses(...commonProblems, 404),
      },
    }),
    async (c) => {
      const { programId, postId } = c.req.valid('param');
      const value = await getPost(actorContext(c), programId, postId);
      c.header('etag', etagOf(value.version));
      return c.json(value, 200);
    },
  );

  app.openapi(
    route({
      method: 'patch',
      path: '/v1/programs/{programId}/posts/{postId}',
      operationId: 'updatePost',
      description: `Its author changes a post with a JSON Merge Patch (RFC 7396); it keeps text, a link or both (422 otherwise). Anyone else is refused (403): admins hide participants' posts instead. ${WHO} Needs \`programs:write\` or a participant token.`,
      tags,
      summary: 'Edit your own post',
      middleware: [requireActor('programs:write')] as const,
      request: { params: postParams, headers: ifMatchHeaders, ...jsonBody(postPatch) },
      responses: {
        200: jsonResponse(post, 'The updated post'),
        ...problemResponses(...commonProblems, 404, 409, 412),
      },
    }),
    async (c) => {
      const { programId, postId } = c.req.valid('param');
      const next = await updatePost(
        actorContext(c),
        programId,
        postId,
        c.req.valid('json'),
        preconditionOf(c),
      );
      c.header('etag', etagOf(next.version));
      return c.json(next, 200);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/programs/{programId}/posts/{postId}',
      operationId: 'deletePost',
      description: `Its author deletes a post nobody has replied to (409 once someone has: edit it, or ask an admin to hide it). Anyone else is refused (403). ${WHO} Needs \`programs:write\` or a participant token.`,
      tags,
      summary: 'Delete your own post (while it has no replies)',
      middleware: [requireActor('programs:write')] as const,
      request: { params: postParams, headers: ifMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      const { programId, postId } = c.req.valid('param');
      await deletePost(actorContext(c), programId, postId, preconditionOf(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/v1/programs/{programId}/posts/{postId}/replies',
      operationId: 'replyToPost',
      description: `Replies to a visible post (a hidden one takes no replies; a post takes at most 500). ${WHO} Needs \`programs:write\` or a participant token.`,
      tags,
      summary: 'Reply to a post',
      middleware: [requireActor('programs:write'), idempotency()] as const,
      request: { params: postParams, headers: idempotencyHeaders, ...jsonBody(replyInput) },
      responses: {
        201: jsonResponse(postReply, 'Created'),
        ...problemResponses(...commonProblems, 404, 409),
      },
    }),
    async (c) => {
      const { programId, postId } = c.req.valid('param');
      const value = await replyToPost(actorContext(c), programId, postId, c.req.valid('json'));
      c.header('location', `/v1/programs/${programId}/posts/${postId}`);
      c.header('etag', etagOf(value.version));
      return c.json(value, 201);
    },
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/v1/programs/{programId}/posts/{postId}/replies/{replyId}',
      operationId: 'deleteReply',
      description: `Its author deletes a reply; anyone else is refused (403). ${WHO} Needs \`programs:write\` or a participant token.`,
      tags,
      summary: 'Delete your own reply',
      middleware: [requireActor('programs:write')] as const,
      request: { params: replyParams, headers: ifMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...commonProblems, 404, 409, 412) },
    }),
    async (c) => {
      const { programId, postId, replyId } = c.req.valid('param');
      await deleteReply(actorContext(c), programId, postId, replyId, preconditionOf(c));
      return c.body(null, 204);
    },
  );

  for (const target of ['post', 'reply'] as const) {
    const isReply = target === 'reply';
    const path = isReply
      ? '/v1/programs/{programId}/posts/{postId}/replies/{replyId}'
      : '/v1/programs/{programId}/posts/{postId}';
    const params = isReply ? replyParams : postParams;
    const schema = isReply ? postReply : post;
    const Name = isReply ? 'Reply' : 'Post';

    app.openapi(
      route({
        method: 'post',
        path: `${path}/hide`,
        operationId: `hide${Name}`,
        description: `Hides a ${target} from the program's participants, keeping the reason, the time and the API key in \`moderation\`. Participants no longer see it (404, or left out of lists); admins still do. Hiding a hidden ${target} is 409. Needs \`programs:write\`.`,
        tags,
        summary: `Hide a ${target} from participants, with a reason`,
        middleware: [requireScope('programs:write'), idempotency()] as const,
        request: { params, headers: postingHeaders, ...jsonBody(moderationInput) },
        responses: {
          200: jsonResponse(schema, `The hidden ${target}`),
          ...problemResponses(...commonProblems, 404, 409, 412),
        },
      }),
      async (c) => {
        const { programId, postId, replyId } = c.req.valid('param') as {
          programId: string;
          postId: string;
          replyId?: string;
        };
        const next = await moderate<Post | PostReply>(
          tenantContext(c),
          { programId, postId, replyId },
          { reason: c.req.valid('json').reason, by: adminKeyId(c) },
          preconditionOf(c),
        );
        c.header('etag', etagOf(next.version));
        return c.json(next, 200);
      },
    );

    app.openapi(
      route({
        method: 'post',
        path: `${path}/unhide`,
        operationId: `unhide${Name}`,
        description: `Makes a hidden ${target} visible to the participants again; its moderation record goes. Showing a visible ${target} is 409. Needs \`programs:write\`.`,
        tags,
        summary: `Show a hidden ${target} again`,
        middleware: [requireScope('programs:write'), idempotency()] as const,
        request: { params, headers: postingHeaders },
        responses: {
          200: jsonResponse(schema, `The ${target}, visible again`),
          ...problemResponses(...commonProblems, 404, 409, 412),
        },
      }),
      async (c) => {
        const { programId, postId, replyId } = c.req.valid('param') as {
          programId: string;
          postId: string;
          replyId?: string;
        };
        const next = await moderate<Post | PostReply>(
          tenantContext(c),
          { programId, postId, replyId },
          undefined,
          preconditionOf(c),
        );
        c.header('etag', etagOf(next.version));
        return c.json(next, 200);
      },
    );
  }
}
