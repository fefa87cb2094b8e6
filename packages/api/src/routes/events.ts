import { type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  envelopeSchemaFor,
  eventCatalog,
  eventDataSchemas,
  eventTypeFilter,
  eventTypes,
  TEST_EVENT_TYPE,
  toEnvelope,
} from '@tandem/core';
import type { AppEnv } from '../env.ts';
import { requireScope } from '../http/middleware.ts';
import { commonProblems, jsonResponse, listQueryFields, problemResponses, route } from '../http/openapi.ts';

const tags = ['Events'];

const envelope = z
  .discriminatedUnion(
    'type',
    eventTypes.map((type) => envelopeSchemaFor(type)) as unknown as [
      ReturnType<typeof envelopeSchemaFor>,
      ...ReturnType<typeof envelopeSchemaFor>[],
    ],
  )
  .meta({ id: 'Event', description: 'The envelope of every event, in webhooks and in GET /v1/events' });

const eventPage = z
  .object({ items: z.array(envelope), nextCursor: z.string().nullable() })
  .meta({ id: 'EventPage' });

const eventTypeInfo = z
  .object({
    type: z.string(),
    description: z.string(),
    schema: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema of `data`' }),
  })
  .meta({ id: 'EventType' });

export function registerEventRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    route({
      method: 'get',
      path: '/v1/event-types',
      operationId: 'listEventTypes',
      description:
        'Lists every domain event type with the JSON Schema of its `data`, so subscribers can validate what they receive. Needs `read`.',
      tags,
      summary: 'Every event type with the JSON Schema of its payload',
      middleware: [requireScope('read')] as const,
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(eventTypeInfo) }).meta({ id: 'EventTypeList' }),
          'All event types',
        ),
        ...problemResponses(...commonProblems),
      },
    }),
    (c) =>
      c.json(
        {
          items: [
            ...eventTypes.map((type) => ({
              type,
              description: eventCatalog[type].description,
              schema: z.toJSONSchema(eventDataSchemas[type], {
                io: 'output',
                unrepresentable: 'any',
              }) as Record<string, unknown>,
            })),
            {
              type: TEST_EVENT_TYPE,
              description: 'The ping sent by POST /v1/webhook-endpoints/{id}/test (only to that endpoint)',
              schema: { type: 'object', properties: { endpointId: { type: 'string' } } },
            },
          ],
        },
        200,
      ),
  );

  app.openapi(
    route({
      method: 'get',
      path: '/v1/events',
      operationId: 'listEvents',
      description:
        "Lists your organization's domain events, oldest first, for 30 days, optionally by type or since a time: the same events webhooks deliver, for catching up after downtime. Needs `read`.",
      tags,
      summary: 'Recent events, oldest first (kept 30 days), so a subscriber can catch up',
      middleware: [requireScope('read')] as const,
      request: {
        query: z.strictObject({
          ...listQueryFields,
          type: eventTypeFilter
            .optional()
            .meta({ description: 'An event type or a category wildcard such as enrollment.*' }),
          after: z.iso
            .datetime({ offset: true })
            .optional()
            .meta({ description: 'Only events after this time', maxLength: 35 }),
        }),
      },
      responses: { 200: jsonResponse(eventPage, 'A page of events'), ...problemResponses(...commonProblems) },
    }),
    async (c) => {
      const { limit, cursor, type, after } = c.req.valid('query');
      const page = await c.get('store').events.list({ type, after }, { limit, cursor });
      return c.json(
        { items: page.items.map(toEnvelope), nextCursor: page.nextCursor } as z.infer<typeof eventPage>,
        200,
      );
    },
  );
}
