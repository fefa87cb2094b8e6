import { AsyncLocalStorage } from 'node:async_hooks';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AuditActor,
  type AuditChange,
  type AuditEntry,
  auditRetentionDays,
  auditValue,
  type DomainEvent,
  type IdKind,
  idPrefixes,
  newAuditEntryId,
  tenantTiers,
} from '@tandem/core';
import type { Db } from './db.ts';
import { keys } from './keys.ts';
import type { WriteOp } from './transact.ts';

/** Who writes, and on whose behalf: set per request by the API, per step by the workflows. */
export interface AuditContext {
  actor: AuditActor;
  operation: string;
  route?: string | undefined;
  requestId?: string | undefined;
  sourceIp?: string | undefined;
}

/**
 * The audit context of the code running now. An async-local rather than a constructor argument,
 * so that every repository, including those added later, audits its writes without being told,
 * and the use cases between the API and the store never carry it.
 */
const scope = new AsyncLocalStorage<AuditContext>();

export const withAudit = <T>(context: AuditContext, work: () => T): T => scope.run(context, work);

export const currentAudit = (): AuditContext | undefined => scope.getStore();

/** A tenant's tier changes rarely; its audit retention is re-read at most this often per process. */
const TIER_TTL_MS = 60_000;
const tiers = new Map<string, { tier: (typeof tenantTiers)[number]; readAt: number }>();

/** What the operator just wrote about a tenant's tier holds from now on, in this process. */
export function rememberTier(tenantId: string, tier: (typeof tenantTiers)[number]): void {
  tiers.set(tenantId, { tier, readAt: Date.now() });
}

async function retentionDays(db: Db, tenantId: string): Promise<number> {
  const cached = tiers.get(tenantId);
  if (cached && Date.now() - cached.readAt < TIER_TTL_MS) return auditRetentionDays[cached.tier];
  const { Item } = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.tenant(tenantId), ProjectionExpression: 'tier' }),
  );
  const tier = tenantTiers.find((t) => t === Item?.tier) ?? 'standard';
  tiers.set(tenantId, { tier, readAt: Date.now() });
  return auditRetentionDays[tier];
}

/** Attributes that say where an item lives, not what it holds. */
const STORAGE = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'entity', 'version']);
const ID = /^[a-z]{3}_[0-9a-hjkmnp-tv-z]{26}$/;
const kindOfPrefix = new Map<string, IdKind>(
  Object.entries(idPrefixes).map(([kind, prefix]) => [prefix, kind as IdKind]),
);

/**
 * The resource an item is: its `entity` and `id` when it has them; otherwise the last id in its
 * sort key (then partition key) and that id's kind. Key text other than ids never reaches the
 * entry, since lookup keys hold emails and external ids.
 */
function resourceOf(key: Record<string, unknown>, item?: Record<string, unknown>) {
  const idIn = (value: unknown) =>
    typeof value === 'string' ? value.split('#').findLast((part) => ID.test(part)) : undefined;
  const skId = idIn(key.SK);
  const id = typeof item?.id === 'string' ? item.id : (skId ?? idIn(key.PK));
  const entity = typeof item?.entity === 'string' ? item.entity : undefined;
  const skType = typeof key.SK === 'string' ? key.SK.split('#')[0]!.toLowerCase() : 'item';
  const type = entity ?? (skId ? (kindOfPrefix.get(skId.slice(0, 3)) ?? skType) : skType);
  return { resourceType: type, ...(id ? { resourceId: id } : {}) };
}

const lastSegment = (path: string) => path.split('.').at(-1) ?? path;

/** Top-level comma split of an update clause (commas inside function calls stay). */
function splitTopLevel(clause: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of clause) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** The fields an UpdateExpression sets and removes, with the values it sets where it names one. */
function updateDiff(
  expression: string,
  names: Record<string, string> = {},
  values: Record<string, unknown> = {},
): Pick<AuditChange, 'set' | 'removed'> {
  const path = (raw: string) =>
    raw
      .trim()
      .replace(/#\w+/g, (name) => names[name] ?? name)
      .replace(/\[\d+\]/g, '');
  const set: Record<string, unknown> = {};
  const removed: string[] = [];
  const clauses = expression.split(/\b(SET|REMOVE|ADD|DELETE)\b/i).slice(1);
  for (let i = 0; i < clauses.length; i += 2) {
    const verb = clauses[i]!.toUpperCase();
    for (const part of splitTopLevel(clauses[i + 1] ?? '')) {
      if (verb === 'REMOVE') {
        removed.push(path(part));
        continue;
      }
      const [target, operand] =
        verb === 'SET' ? part.split(/=(.*)/s, 2) : [part.split(/\s+/)[0]!, part.split(/\s+/)[1]];
      const field = path(target ?? '');
      if (STORAGE.has(field)) continue;
      if (verb === 'DELETE') {
        removed.push(field);
        continue;
      }
      // A value is shown only where the expression names it outright; counters and appends are computed.
      const operandText = (operand ?? '').trim();
      const single = operandText.match(/^(?::\w+|if_not_exists\([^,]+,\s*(:\w+)\s*\))$/);
      set[field] = single ? auditValue(lastSegment(field), values[single[1] ?? operandText]) : '(computed)';
    }
  }
  return { set, removed };
}

/** The change each op of a transaction makes, in the op's order; condition checks change nothing. */
export function auditChanges(ops: WriteOp[]): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const { item } of ops) {
    if (item.Put) {
      const fields = item.Put.Item as Record<string, unknown>;
      const set = Object.fromEntries(
        Object.entries(fields)
          .filter(([name]) => !STORAGE.has(name))
          .map(([name, value]) => [name, auditValue(name, value)]),
      );
      const creates = item.Put.ConditionExpression?.includes('attribute_not_exists') ?? false;
      changes.push({
        ...resourceOf(fields, fields),
        action: creates ? 'created' : 'updated',
        set,
        removed: [],
      });
    } else if (item.Update) {
      changes.push({
        ...resourceOf(item.Update.Key as Record<string, unknown>),
        action: 'updated',
        ...updateDiff(
          item.Update.UpdateExpression ?? '',
          item.Update.ExpressionAttributeNames,
          item.Update.ExpressionAttributeValues,
        ),
      });
    } else if (item.Delete) {
      changes.push({
        ...resourceOf(item.Delete.Key as Record<string, unknown>),
        action: 'deleted',
        set: {},
        removed: [],
      });
    }
  }
  return changes;
}

function auditItem(
  tenantId: string,
  context: AuditContext,
  entry: Pick<AuditEntry, 'outcome' | 'events' | 'changes'> & { status?: number },
  now: Date,
  days: number,
) {
  const id = newAuditEntryId(now);
  const value: AuditEntry = {
    id,
    occurredAt: now.toISOString(),
    actor: context.actor,
    operation: context.operation,
    ...(context.route ? { route: context.route } : {}),
    ...(context.requestId ? { requestId: context.requestId } : {}),
    ...(context.sourceIp ? { sourceIp: context.sourceIp } : {}),
    ...entry,
  };
  return {
    ...keys.auditEntry(tenantId, id),
    entity: 'audit',
    ...value,
    // Filter attributes: top-level lists that `contains` can test.
    _actorId: context.actor.id,
    _resourceTypes: [...new Set(entry.changes.map((c) => c.resourceType))],
    _resourceIds: [...new Set(entry.changes.flatMap((c) => (c.resourceId ? [c.resourceId] : [])))],
    expiresAt: Math.floor(now.getTime() / 1000) + days * 86_400,
  };
}

/**
 * The audit entry of a transaction, to write in it, when code runs under an audit context.
 * Appended after the ops, so that a failed condition still maps to the op that holds it.
 */
export async function auditOpFor(
  db: Db,
  tenantId: string,
  ops: WriteOp[],
  events: DomainEvent[],
  now: Date,
): Promise<WriteOp | undefined> {
  const context = currentAudit();
  if (!context) return undefined;
  const item = auditItem(
    tenantId,
    context,
    { outcome: 'succeeded', events: events.map((e) => e.type), changes: auditChanges(ops) },
    now,
    await retentionDays(db, tenantId),
  );
  return { item: { Put: { TableName: '', Item: item, ConditionExpression: 'attribute_not_exists(PK)' } } };
}

/** A request the API refused after it reached the tenant: its own write, as nothing else was written. */
export async function recordRefusal(
  db: Db,
  tenantId: string,
  context: AuditContext,
  status: number,
  now: Date,
): Promise<void> {
  const item = auditItem(
    tenantId,
    context,
    { outcome: 'refused', status, events: [], changes: [] },
    now,
    await retentionDays(db, tenantId),
  );
  await db.doc.send(
    new PutCommand({ TableName: db.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }),
  );
}
