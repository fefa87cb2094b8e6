import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EventDraft,
  type Moderation,
  NotFoundError,
  type Post,
  type PostReply,
  PreconditionFailedError,
  post as postSchema,
  postReply as replySchema,
} from '@tandem/core';
import { toEntity } from './db.ts';
import { collections, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { versionCondition, versionedUpdate, type WriteOp } from './transact.ts';

export interface PostFilter {
  tag?: string | undefined;
  /** Admins list hidden posts too; participants never see them. */
  includeHidden: boolean;
}

/** A post as stored: the entity and how many replies hang under it (not part of its version). */
export interface StoredPost {
  post: Post;
  replies: number;
}

/**
 * Posts of a program's community and their replies, in the program's partition. A post counts its
 * replies in `_replies` (outside its version, so a reply never invalidates the author's If-Match):
 * a reply is added only while the post exists, is visible and has room, and a post is deleted only
 * while nobody replied, both checked in the same transaction as the write.
 */
export class PostsRepository extends TenantRepository {
  private postKey(programId: string, postId: string) {
    return keys.post(this.tenantId, programId, postId);
  }

  /** Tags as the list filter compares them. */
  private static tagKeys(tags: string[]) {
    return tags.map((tag) => tag.toLowerCase());
  }

  async create(value: Post, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...this.postKey(value.programId, value.id),
                entity: 'post',
                ...value,
                _tagKeys: PostsRepository.tagKeys(value.tags),
                _replies: 0,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async load(programId: string, postId: string): Promise<StoredPost> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: this.postKey(programId, postId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No post ${postId} in program ${programId}`);
    return { post: toEntity(Item, postSchema), replies: Number(Item._replies ?? 0) };
  }

  async get(programId: string, postId: string): Promise<Post> {
    return (await this.load(programId, postId)).post;
  }

  /** Newest first. */
  async list(programId: string, filter: PostFilter, page: PageRequest): Promise<Page<Post>> {
    const conditions: string[] = [];
    const values: Record<string, unknown> = {};
    if (filter.tag !== undefined) {
      conditions.push('contains(#tagKeys, :tag)');
      values[':tag'] = filter.tag.toLowerCase();
    }
    if (!filter.includeHidden) conditions.push('attribute_not_exists(moderation)');
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(conditions.length
          ? {
              FilterExpression: conditions.join(' AND '),
              ...(filter.tag !== undefined ? { ExpressionAttributeNames: { '#tagKeys': '_tagKeys' } } : {}),
            }
          : {}),
        ExpressionAttributeValues: {
          ':pk': this.postKey(programId, '').PK,
          ':prefix': collections.posts,
          ...values,
        },
        ScanIndexForward: false,
      },
      page,
      this.cursors,
      `${this.tenantId}|posts|${programId}|${JSON.stringify(filter)}`,
      postSchema,
    );
  }

  async update(previous: Post, next: Post, removed: string[], event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: versionedUpdate(this.postKey(next.programId, next.id), next, {
            expectedVersion: previous.version,
            removed,
            extra: { _tagKeys: PostsRepository.tagKeys(next.tags) },
            skip: ['programId', 'authorId', 'moderation'],
          }),
          onConditionFailed: () =>
            new PreconditionFailedError(`Post ${next.id} changed since version ${previous.version}`),
        },
      ],
      event,
    );
  }

  /** Deletes a post nobody replied to (a reply landing first fails the condition: read again). */
  async delete(previous: Post, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: this.postKey(previous.programId, previous.id),
              ConditionExpression: '#version = :expected AND #replies = :zero',
              ExpressionAttributeNames: { '#version': 'version', '#replies': '_replies' },
              ExpressionAttributeValues: { ':expected': previous.version, ':zero': 0 },
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(`Post ${previous.id} changed since version ${previous.version}`),
        },
      ],
      event,
    );
  }

  /** Hides (with the moderation record) or shows again (`undefined`) a post or a reply. */
  async moderate(
    previous: Post | PostReply,
    moderation: Moderation | undefined,
    now: string,
    event: EventDraft,
  ): Promise<void> {
    const key =
      'postId' in previous
        ? keys.postReply(this.tenantId, previous.programId, previous.postId, previous.id)
        : this.postKey(previous.programId, previous.id);
    await this.write(
      [
        {
          item: {
            Update: {
              TableName: '',
              Key: key,
              UpdateExpression: `SET updatedAt = :now, #version = #version + :one${moderation ? ', moderation = :moderation' : ' REMOVE moderation'}`,
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: {
                ':now': now,
                ':one': 1,
                ':expected': previous.version,
                ...(moderation ? { ':moderation': moderation } : {}),
              },
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(`${previous.id} changed since version ${previous.version}`),
        },
      ],
      event,
    );
  }

  /**
   * Adds a reply and counts it on its post, which must still exist, be visible and have room; a
   * failed condition is reported as a changed post, so the caller reads it again and says why.
   */
  async reply(value: PostReply, maxReplies: number, event: EventDraft): Promise<void> {
    const ops: WriteOp[] = [
      {
        item: {
          Update: {
            TableName: '',
            Key: this.postKey(value.programId, value.postId),
            UpdateExpression: 'ADD #replies :one',
            ConditionExpression:
              'attribute_exists(PK) AND attribute_not_exists(moderation) AND (attribute_not_exists(#replies) OR #replies < :max)',
            ExpressionAttributeNames: { '#replies': '_replies' },
            ExpressionAttributeValues: { ':one': 1, ':max': maxReplies },
          },
        },
        onConditionFailed: () => new PreconditionFailedError(`Post ${value.postId} changed`),
      },
      {
        item: {
          Put: {
            TableName: '',
            Item: {
              ...keys.postReply(this.tenantId, value.programId, value.postId, value.id),
              entity: 'postReply',
              ...value,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
    ];
    await this.write(ops, event);
  }

  async getReply(programId: string, postId: string, replyId: string): Promise<PostReply> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.postReply(this.tenantId, programId, postId, replyId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No reply ${replyId} to post ${postId}`);
    return toEntity(Item, replySchema);
  }

  /** A post's replies, oldest first (a post holds a bounded number). */
  async replies(programId: string, postId: string): Promise<PostReply[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': this.postKey(programId, postId).PK,
        ':prefix': collections.replies(postId),
      },
      ConsistentRead: true,
    });
    return items.map((item) => toEntity(item, replySchema));
  }

  async deleteReply(previous: PostReply, event: EventDraft): Promise<void> {
    await this.write(
      [
        {
          item: {
            Delete: {
              TableName: '',
              Key: keys.postReply(this.tenantId, previous.programId, previous.postId, previous.id),
              ...versionCondition(previous.version),
            },
          },
          onConditionFailed: () =>
            new PreconditionFailedError(`Reply ${previous.id} changed since version ${previous.version}`),
        },
        {
          item: {
            Update: {
              TableName: '',
              Key: this.postKey(previous.programId, previous.postId),
              UpdateExpression: 'ADD #replies :minusOne',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeNames: { '#replies': '_replies' },
              ExpressionAttributeValues: { ':minusOne': -1 },
            },
          },
          onConditionFailed: () => new NotFoundError(`No post ${previous.postId}`),
        },
      ],
      event,
    );
  }
}
