import * as z from 'zod';
import { auditActions, auditActorKinds, auditOutcomes } from './audit-rules.ts';
import { isoDateTime } from './common.ts';

/** Who acted: an API key id, a participant's person id, `operator`, or a system component's name. */
export const auditActor = z
  .strictObject({
    kind: z.enum(auditActorKinds),
    id: z.string().max(64).meta({ example: 'key_01jd5x3n7a8q9w0e1r2t3y4z5v' }),
  })
  .meta({ id: 'AuditActor' });
export type AuditActor = z.infer<typeof auditActor>;

/** What one transaction did to one item: its fields, values redacted as `auditValue` says. */
export const auditChange = z
  .strictObject({
    resourceType: z.string().max(64).meta({ example: 'person' }),
    resourceId: z.string().max(64).optional(),
    action: z.enum(auditActions),
    set: z.record(z.string(), z.unknown()).meta({
      description: 'Fields written, with their new value, or "[redacted]" where the value may be personal',
    }),
    removed: z.array(z.string()),
  })
  .meta({ id: 'AuditChange' });
export type AuditChange = z.infer<typeof auditChange>;

export const auditEntry = z
  .strictObject({
    id: z.string().max(40).meta({ example: 'aud_01jd5x3n7a8q9w0e1r2t3y4z5v' }),
    occurredAt: isoDateTime,
    actor: auditActor,
    operation: z.string().max(200).meta({
      description: 'The operationId of the request, or the system step that wrote',
      example: 'updatePerson',
    }),
    route: z.string().max(300).optional().meta({ example: 'PATCH /v1/people/{personId}' }),
    requestId: z.string().max(128).optional(),
    sourceIp: z.string().max(64).optional(),
    outcome: z.enum(auditOutcomes),
    status: z.number().int().optional().meta({ description: 'The HTTP status of a refused request' }),
    events: z.array(z.string()).meta({ description: 'Domain events the change emitted' }),
    changes: z.array(auditChange),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntry>;
