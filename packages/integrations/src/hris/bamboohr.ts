import type { EmployeeChange, EmployeeSnapshot, HrisFieldMapping } from '@tandem/core';
import {
  anyKeySigns,
  defined,
  fresh,
  type HrisProviderModule,
  hmac,
  ignored,
  isRecord,
  parseInstant,
  parseJson,
  textOf,
  thin,
} from './common.ts';

/** BambooHR's English labels and the camelCase names permissioned webhooks use, per snapshot field. */
const defaults: Record<
  | keyof HrisFieldMapping
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'status'
  | 'employmentStatus'
  | 'hireDate'
  | 'terminationDate',
  string[]
> = {
  department: ['Department', 'department'],
  title: ['Job Title', 'jobTitle'],
  location: ['Location', 'location'],
  managerExternalId: ['Supervisor EID', 'supervisorEId', 'supervisorId'],
  email: ['Work Email', 'workEmail'],
  name: ['Full Name', 'displayName'],
  firstName: ['First Name', 'firstName'],
  lastName: ['Last Name', 'lastName'],
  status: ['Status', 'status'],
  employmentStatus: ['Employment Status', 'employmentStatus'],
  hireDate: ['Hire Date', 'hireDate'],
  terminationDate: ['Termination Date', 'terminationDate'],
};

function field(fields: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const value = textOf(fields[name]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** BambooHR's API writes an empty date as `0000-00-00`. */
const isoDay = (value: string | undefined) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !value.startsWith('0000') ? value : undefined;

/** BambooHR's fields (labels or API names) as a snapshot: webhooks and the API share it. */
export function bamboohrSnapshot(
  id: string,
  fields: Record<string, unknown>,
  mapping: HrisFieldMapping,
): EmployeeSnapshot {
  const pick = (key: keyof typeof defaults) => {
    const override = mapping[key as keyof HrisFieldMapping];
    return field(fields, override ? [override] : defaults[key]);
  };
  const first = pick('firstName');
  const last = pick('lastName');
  const status = pick('status')?.toLowerCase();
  const employment = pick('employmentStatus')?.toLowerCase();
  const left = status === 'inactive' || employment === 'terminated';
  const rejoined = status === 'active' || (employment !== undefined && employment !== 'terminated');
  return defined({
    externalId: id,
    name: pick('name') ?? ([first, last].filter(Boolean).join(' ') || undefined),
    email: pick('email'),
    department: pick('department'),
    title: pick('title'),
    location: pick('location'),
    managerExternalId: pick('managerExternalId'),
    hireDate: isoDay(pick('hireDate')),
    employment: left ? 'terminated' : rejoined ? 'active' : undefined,
    terminationDate: isoDay(pick('terminationDate')),
  } as EmployeeSnapshot);
}

/**
 * BambooHR: lowercase hex HMAC-SHA256 of the raw body followed by `X-BambooHR-Timestamp` (no
 * separator), keyed with the webhook's private key. Field-based webhooks carry the monitored
 * fields' values; event-based ones (`employee.updated`) name the employee only.
 */
export const bamboohr: HrisProviderModule = {
  verify(delivery, secrets, now) {
    const signature = delivery.headers['x-bamboohr-signature'];
    const timestamp = delivery.headers['x-bamboohr-timestamp'];
    if (!signature || !timestamp)
      return { ok: false, reason: 'missing X-BambooHR-Signature or X-BambooHR-Timestamp' };
    if (!/^[0-9a-fA-F]+$/.test(signature)) return { ok: false, reason: 'X-BambooHR-Signature is not hex' };
    const freshness = fresh(timestamp, now);
    if (!freshness.ok) return freshness;
    const signs = anyKeySigns(secrets, [Buffer.from(signature.toLowerCase(), 'hex')], (key) =>
      hmac('sha256', key, delivery.body, timestamp),
    );
    return signs ? { ok: true } : { ok: false, reason: 'no secret of the connection makes this signature' };
  },
  read(delivery, mapping) {
    const body = parseJson(delivery.body);
    if (body === undefined)
      return ignored('not JSON (form-encoded webhooks are not read; choose JSON in BambooHR)');
    if (isRecord(body) && typeof body.type === 'string')
      return thin(body.type, isRecord(body.data) ? textOf(body.data.employeeId) : undefined);
    if (!isRecord(body) || !Array.isArray(body.employees)) return ignored('not a BambooHR webhook');
    const changes: EmployeeChange[] = [];
    for (const entry of body.employees) {
      if (!isRecord(entry)) continue;
      const id = textOf(entry.id);
      const at = parseInstant(textOf(entry.timestamp));
      if (!id || !at || entry.action === 'Deleted' || !isRecord(entry.fields)) continue;
      changes.push({
        snapshot: bamboohrSnapshot(id, entry.fields, mapping),
        sourceUpdatedAt: at.toISOString(),
      });
    }
    if (changes.length === 0)
      return ignored(
        'no employee with fields and a timestamp (created and deleted entries carry none)',
        'employee_with_fields',
      );
    return { kind: 'changes', eventType: 'employee_with_fields', changes };
  },
};
