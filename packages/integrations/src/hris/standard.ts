import { type EmployeeSnapshot, hrisStandardEmployee, hrisStandardEvent } from '@tandem/core';
import { defined, type HrisProviderModule, ignored, parseJson, verifyStandardScheme } from './common.ts';

const employeeEvents = new Set(['employee.created', 'employee.updated']);

/** Keys are `whsec_` + base64, as Standard Webhooks libraries issue and expect them. */
export const standardKey = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

/** Any Standard-Webhooks-signed sender posting Tandem's own employee schema (docs/hris.md). */
export const standard: HrisProviderModule = {
  verify: (delivery, secrets, now) =>
    verifyStandardScheme(
      delivery,
      { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
      standardKey,
      secrets,
      now,
    ),
  eventId: (delivery) => delivery.headers['webhook-id'],
  read(delivery) {
    const event = hrisStandardEvent.safeParse(parseJson(delivery.body));
    if (!event.success) return ignored('not a Tandem HRIS event (type, timestamp, data)');
    if (!employeeEvents.has(event.data.type))
      return ignored('event type Tandem does not handle', event.data.type);
    const employee = hrisStandardEmployee.safeParse(event.data.data);
    if (!employee.success)
      return ignored(
        `data is not an HrisStandardEmployee: ${employee.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`,
        event.data.type,
      );
    return {
      kind: 'changes',
      eventType: event.data.type,
      changes: [
        {
          snapshot: defined(employee.data) as EmployeeSnapshot,
          sourceUpdatedAt: new Date(event.data.timestamp).toISOString(),
        },
      ],
    };
  },
};
