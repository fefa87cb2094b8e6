import type { EmployeeSnapshot } from '@tandem/core';
import { at, defined, isRecord, textOf } from '../common.ts';
import { basic, callJson, type HrisApiAccess, type HrisApiClient, rootOf } from './client.ts';

const FIELDS = [
  'root.id',
  'root.displayName',
  'root.firstName',
  'root.surname',
  'root.email',
  'work.department',
  'work.title',
  'work.site',
  'work.reportsTo',
  'work.startDate',
  'internal.status',
  'internal.terminationDate',
];

const isoDay = (value: unknown) => textOf(value)?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];

export function hibobSnapshot(employee: Record<string, unknown>, mapping: HrisApiAccess['mapping']) {
  const work = isRecord(employee.work) ? employee.work : {};
  const internal = isRecord(employee.internal) ? employee.internal : {};
  const pick = (key: keyof typeof mapping, fallback: unknown) =>
    textOf(mapping[key] ? at(employee, mapping[key]) : fallback);
  const status = textOf(internal.status)?.toLowerCase();
  const first = textOf(employee.firstName);
  const last = textOf(employee.surname);
  return defined({
    externalId: textOf(employee.id) as string,
    name: textOf(employee.displayName) ?? ([first, last].filter(Boolean).join(' ') || undefined),
    email: pick('email', employee.email),
    department: pick('department', work.department),
    title: pick('title', work.title),
    location: pick('location', work.site),
    managerExternalId: pick(
      'managerExternalId',
      isRecord(work.reportsTo) ? work.reportsTo.id : work.reportsTo,
    ),
    hireDate: isoDay(work.startDate),
    employment: status === 'inactive' ? 'terminated' : status === 'active' ? 'active' : undefined,
    terminationDate: isoDay(internal.terminationDate),
  } as EmployeeSnapshot);
}

/**
 * HiBob's People API (a service user's id and token, Basic): `POST /people/search` with inactive
 * people shown, filtered to one id or not at all. It has neither paging nor a changed-since filter.
 */
export function hibob(access: HrisApiAccess): HrisApiClient {
  const root = rootOf(access.settings, 'https://api.hibob.com/v1');
  const headers = {
    ...basic(access.credentials.username, access.credentials.password),
    'content-type': 'application/json',
  };
  const search = async (filters: unknown[]) => {
    const body = await callJson(
      access.http,
      {
        method: 'POST',
        url: `${root}/people/search`,
        headers,
        body: JSON.stringify({ fields: FIELDS, filters, showInactive: true, humanReadable: 'REPLACE' }),
      },
      'HiBob people search',
    );
    const rows = isRecord(body) && Array.isArray(body.employees) ? body.employees.filter(isRecord) : [];
    return rows.filter((row) => textOf(row.id)).map((row) => hibobSnapshot(row, access.mapping));
  };
  return {
    async employee(id) {
      const [found] = await search([{ fieldPath: 'root.id', operator: 'equals', values: [id] }]);
      return found;
    },
    async list() {
      return { employees: await search([]) };
    },
  };
}
