import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AuditEntry, auditActions, auditEntry, auditOutcomes, csvLine } from '@tandem/core';
import type { AuditFilter } from '@tandem/store';
import type { AppEnv } from '../env.ts';
import { requireScope } from '../http/middleware.ts';
import {
  commonProblems,
  jsonResponse,
  listQueryFields,
  pageOf,
  problemResponses,
  route,
} from '../http/openapi.ts';
import { streamText } from '../http/stream-text.ts';

const tags = ['Audit log'];

const filterFields = {
  actor: z
    .string()
    .max(64)
    .optional()
    .meta({ description: 'An API key id, a person id, `operator`, or a system component (`matching-run`)' }),
  resourceType: z.string().max(64).optional().meta({ example: 'person' }),
  resourceId: z.string().max(64).optional().meta({ example: 'per_01jd5x3n7a8q9w0e1r2t3y4z5v' }),
  operation: z.string().max(200).optional().meta({ description: 'An operationId', example: 'updatePerson' }),
  outcome: z.enum(auditOutcomes).optional(),
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Entries at or after this time', maxLength: 35 }),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Entries at or before this time', maxLength: 35 }),
};

type FilterQuery = { [K in keyof typeof filterFields]?: string | undefined };

const filterOf = (query: FilterQuery): AuditFilter => ({
  actor: query.actor,
  resourceType: query.resourceType,
  resourceId: query.resourceId,
  operation: query.operation,
  outcome: query.outcome,
  from: query.from ? new Date(query.from) : undefined,
  to: query.to ? new Date(query.to) : undefined,
});

const CSV_COLUMNS = [
  'id',
  'occurredAt',
  'actorKind',
  'actorId',
  'operation',
  'route',
  'requestId',
  'sourceIp',
  'outcome',
  'status',
  'events',
  'resources',
  'changes',
] as const;

function csvRow(entry: AuditEntry): string {
  const row: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: entry.id,
    occurredAt: entry.occurredAt,
    actorKind: entry.actor.kind,
    actorId: entry.actor.id,
    operation: entry.operation,
    route: entry.route ?? '',
    requestId: entry.requestId ?? '',
    sourceIp: entry.sourceIp ?? '',
    outcome: entry.outcome,
    status: entry.status === undefined ? '' : String(entry.status),
    events: entry.events.join(' '),
    resources: entry.changes.map((c) => `${c.resourceType}:${c.resourceId ?? ''}`).join(' '),
    changes: JSON.stringify(entry.changes),
  };
  return csvLine(CSV_COLUMNS.map((column) => row[column]));
}

async function* csvLines(entries: AsyncIterable<AuditEntry>): AsyncGenerator<string> {
  yield csvLine(CSV_COLUMNS);
  for await (const entry of entries) yield csvRow(entry);
}

async function* ndjsonLines(entries: AsyncIterable<AuditEntry>): AsyncGenerator<string> {
  for await (const entry of entries) yield `${JSON.stringify(entry)}\n`;
}

export function registerAuditLogRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: '/v1/audit-log',
      operationId: 'listAuditLog',
      description: `Lists your organization's audit log, newest first: who (API key, participant, operator or system) changed what (operation, resources, fields written: values of ids, enums, numbers, booleans and times, \`[redacted]\` for anything that may be personal), when, from where (request id, source IP), and requests refused after authentication. Entries are never edited or deleted; they expire by your tier's retention. Filter by actor, resource, operation, outcome and time range. Actions: ${auditActions.join(', ')}. Needs \`admin\`.`,
      tags,
      summary: 'The audit log, newest first, with filters',
      middleware: [requireScope('admin')] as const,
      request: { query: z.strictObject({ ...listQueryFields, ...filterFields }) },
      responses: {
        200: jsonResponse(pageOf(auditEntry, 'AuditEntryPage'), 'A page of audit entries'),
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { limit, cursor, ...query } = c.req.valid('query');
      return c.json(await c.get('store').auditLog.list(filterOf(query), { limit, cursor }), 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/audit-log/export',
      operationId: 'exportAuditLog',
      description:
        'Streams every audit entry that matches the filters, newest first, as NDJSON (one entry per line, as `GET /v1/audit-log` shows it) or CSV (one row per entry, `changes` as JSON). Needs `admin`.',
      tags,
      summary: 'The audit log as NDJSON or CSV',
      middleware: [requireScope('admin')] as const,
      request: {
        query: z.strictObject({
          format: z.enum(['ndjson', 'csv']).default('ndjson'),
          ...filterFields,
        }),
      },
      responses: {
        200: {
          description: 'The matching entries',
          content: {
            'application/x-ndjson': { schema: z.string().max(1_000_000_000) },
            'text/csv': { schema: z.string().max(1_000_000_000) },
          },
        },
        ...problemResponses(...commonProblems),
      },
    }),
    async (c) => {
      const { format, ...query } = c.req.valid('query');
      const entries = await c.get('store').auditLog.all(filterOf(query));
      c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
      c.header('content-disposition', `attachment; filename="audit-log.${format}"`);
      return streamText(c, format === 'csv' ? csvLines(entries) : ndjsonLines(entries));
    },
  );
}
