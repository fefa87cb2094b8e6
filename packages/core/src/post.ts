import * as z from 'zod';
import { entityMeta, isoDateTime, plainTextMessage, plainTextPattern, skillName, text } from './common.ts';
import { InvalidInputError } from './errors.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';

/**
 * A link a participant shares. Tandem never fetches it, but apps render it, so only http(s) URLs
 * with a DNS host are taken (no `javascript:`, no bare addresses).
 */
const link = z
  .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
  .max(2048)
  // URL parsing would encode these, but the URL is stored and echoed as sent.
  .regex(plainTextPattern, plainTextMessage)
  .meta({
    description: 'An http(s) link to the resource shared',
    example: 'https://example.com/articles/giving-feedback',
    format: 'uri',
    // The webhook URL rule's statement of what z.url() with a DNS host accepts, for clients.
    pattern: String.raw`^https?://(?![^/?#]*[xX][nN]--)(?=[^/?#:]{1,253}(?:[:/?#]|$))(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z](?:[-0-9a-zA-Z]{0,61}[0-9a-zA-Z])?\.?(?::[0-9]{1,4})?(?:[/?#][!-~]*)?$`,
  });

/** Skill tags: each once, compared case-insensitively, which is also how the list filter matches them. */
const tags = z
  .array(skillName)
  .max(10)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.toLowerCase()))
        ctx.addIssue({ code: 'custom', path: [index], message: `duplicate tag ${item}` });
      seen.add(item.toLowerCase());
    });
  })
  .meta({
    description: 'Skills the post is about; each once (compared case-insensitively)',
    uniqueItems: true,
    example: ['giving feedback'],
  });

const postFields = {
  title: text(200).meta({ example: 'How I prepare for a first mentoring session' }),
  text: text(10_000).optional(),
  url: link.optional(),
  tags: tags.default([]),
};

const CONTENT_MESSAGE = 'a post needs text, a link or both';

/** A post shares text, a link or both; the title alone says too little. */
export function assertPostContent(value: { text?: string | undefined; url?: string | undefined }) {
  if (value.text === undefined && value.url === undefined)
    throw new InvalidInputError(`A post needs text or a link: ${CONTENT_MESSAGE}`, [
      { field: '/text', message: CONTENT_MESSAGE },
    ]);
}

export const postInput = z
  .strictObject(postFields)
  .superRefine((value, ctx) => {
    if (value.text === undefined && value.url === undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: CONTENT_MESSAGE });
  })
  .meta({ id: 'PostInput', description: `A title and text, a link or both (${CONTENT_MESSAGE})` });
export type PostInput = z.infer<typeof postInput>;

export const postPatch = mergePatchSchema(postFields).meta({ id: 'PostPatch' });

/** Why and by whom an admin hid a post or reply; kept while it stays hidden. */
export const moderation = z
  .object({
    hiddenAt: isoDateTime,
    hiddenBy: idSchema('apiKey').meta({ description: 'The API key that hid it' }),
    reason: z.string(),
  })
  .meta({
    id: 'Moderation',
    description: 'Present while an admin keeps it hidden: participants no longer see it, admins do',
  });
export type Moderation = z.infer<typeof moderation>;

export const moderationInput = z
  .strictObject({
    reason: text(500).meta({ example: 'Shares a colleague’s personal details' }),
  })
  .meta({ id: 'ModerationInput' });

const authorId = idSchema('person')
  .optional()
  .meta({ description: 'The participant who wrote it; absent when an admin wrote it with an API key' });

export const post = z
  .object({
    id: idSchema('post'),
    programId: idSchema('program'),
    authorId,
    title: z.string(),
    text: z.string().optional(),
    url: z.string().optional(),
    tags: z.array(z.string()),
    moderation: moderation.optional(),
    ...entityMeta,
  })
  .meta({ id: 'Post' });
export type Post = z.infer<typeof post>;

export const replyInput = z
  .strictObject({ text: text(5000).meta({ example: 'This worked for me too: agree the agenda first.' }) })
  .meta({ id: 'ReplyInput' });

export const postReply = z
  .object({
    id: idSchema('postReply'),
    postId: idSchema('post'),
    programId: idSchema('program'),
    authorId,
    text: z.string(),
    moderation: moderation.optional(),
    ...entityMeta,
  })
  .meta({ id: 'PostReply' });
export type PostReply = z.infer<typeof postReply>;

/** Replies one post takes, so a thread stays one read. */
export const MAX_REPLIES_PER_POST = 500;

export const postWithReplies = z
  .object({
    ...post.shape,
    replies: z
      .array(postReply)
      .max(MAX_REPLIES_PER_POST)
      .meta({ description: 'Oldest first; participants see the visible ones, admins all of them' }),
  })
  .meta({ id: 'PostWithReplies' });
