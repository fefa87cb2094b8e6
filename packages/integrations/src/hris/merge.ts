import type { EmployeeSnapshot, HrisFieldMapping } from '@tandem/core';
import {
  anyKeySigns,
  at,
  defined,
  type HrisProviderModule,
  hmac,
  ignored,
  isRecord,
  parseInstant,
  parseJson,
  textOf,
} from './common.ts';

const base64url = (bytes: Buffer) => bytes.toString('base64url').replace(/=+$/, '');

const isoDay = (value: unknown) => {
  const text = textOf(value);
  return text && /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : undefined;
};

/** An expanded relation's name, or nothing for a bare id (Tandem does not look ids up in Merge). */
const nameOf = (value: unknown) => (isRecord(value) ? textOf(value.name) : undefined);

/** Merge's common-model employee as a snapshot (webhooks and the API carry the same object). */
export function mergeSnapshot(
  employee: Record<string, unknown>,
  mapping: HrisFieldMapping,
  today: string,
): EmployeeSnapshot {
  const pick = (key: keyof HrisFieldMapping, fallback: unknown) =>
    textOf(mapping[key] ? at(employee, mapping[key]) : fallback);
  const employments = Array.isArray(employee.employments) ? employee.employments.filter(isRecord) : [];
  const first = textOf(employee.first_name);
  const last = textOf(employee.last_name);
  const terminationDate = isoDay(employee.termination_date);
  const status = textOf(employee.employment_status);
  const left =
    employee.remote_was_deleted === true ||
    status === 'INACTIVE' ||
    (terminationDate !== undefined && terminationDate <= today && status !== 'ACTIVE');
  return defined({
    externalId: textOf(employee.id) as string,
    name: textOf(employee.display_full_name) ?? ([first, last].filter(Boolean).join(' ') || undefined),
    email: pick('email', employee.work_email),
    department: pick('department', nameOf(employee.team)),
    title: pick('title', employments[0]?.job_title),
    location: pick('location', nameOf(employee.work_location)),
    managerExternalId: pick('managerExternalId', employee.manager),
    hireDate: isoDay(employee.hire_date ?? employee.start_date),
    employment: left ? 'terminated' : status === 'ACTIVE' ? 'active' : undefined,
    terminationDate,
  } as EmployeeSnapshot);
}

/**
 * Merge: base64url HMAC-SHA256 of the body in `X-Merge-Webhook-Signature`, keyed with the
 * organization's signature key (compared without `=` padding, which Merge may or may not send).
 * `Employee.added` and `.changed` carry the whole common-model employee; `.removed` means the
 * source deleted them, which Tandem treats as a departure.
 */
export const merge: HrisProviderModule = {
  verify(delivery, secrets) {
    const header = delivery.headers['x-merge-webhook-signature'];
    if (!header) return { ok: false, reason: 'missing X-Merge-Webhook-Signature' };
    const presented = Buffer.from(header.trim().replace(/=+$/, ''));
    const signs = anyKeySigns(secrets, [presented], (key) =>
      Buffer.from(base64url(hmac('sha256', key, delivery.body))),
    );
    return signs ? { ok: true } : { ok: false, reason: 'no secret of the connection makes this signature' };
  },
  read(delivery, mapping) {
    const body = parseJson(delivery.body);
    const event = isRecord(body) && isRecord(body.hook) ? textOf(body.hook.event) : undefined;
    if (!isRecord(body) || !event) return ignored('not a Merge webhook');
    if (!['Employee.added', 'Employee.changed', 'Employee.removed'].includes(event))
      return ignored('event type Tandem does not handle', event);
    const employee = body.data;
    const modified = isRecord(employee) ? parseInstant(textOf(employee.modified_at)) : undefined;
    if (!isRecord(employee) || !textOf(employee.id) || !modified)
      return ignored('employee without id or modified_at', event);
    const today = modified.toISOString().slice(0, 10);
    const snapshot = mergeSnapshot(
      event === 'Employee.removed' ? { ...employee, remote_was_deleted: true } : employee,
      mapping,
      today,
    );
    return {
      kind: 'changes',
      eventType: event,
      changes: [{ snapshot, sourceUpdatedAt: modified.toISOString() }],
    };
  },
};
