import type { EmployeeSnapshot } from '@tandem/core';
import { at, defined, isRecord, textOf } from '../common.ts';
import { bearer, callJson, type HrisApiAccess, type HrisApiClient, rootOf } from './client.ts';

const PAGE = 100;
const isoDay = (value: unknown) => textOf(value)?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];

/** Rippling's employee (platform API): `roleState` TERMINATED is a leaver, `endDate` their last day. */
export function ripplingSnapshot(
  employee: Record<string, unknown>,
  mapping: HrisApiAccess['mapping'],
): EmployeeSnapshot {
  const pick = (key: keyof typeof mapping, fallback: unknown) =>
    textOf(mapping[key] ? at(employee, mapping[key]) : fallback);
  const state = textOf(employee.roleState)?.toUpperCase();
  const first = textOf(employee.firstName);
  const last = textOf(employee.lastName);
  const location = isRecord(employee.workLocation)
    ? (textOf(employee.workLocation.name) ?? textOf(employee.workLocation.city))
    : undefined;
  return defined({
    externalId: textOf(employee.id) as string,
    name: textOf(employee.name) ?? ([first, last].filter(Boolean).join(' ') || undefined),
    email: pick('email', employee.workEmail),
    department: pick('department', employee.department),
    title: pick('title', employee.title),
    location: pick('location', location),
    managerExternalId: pick('managerExternalId', employee.manager),
    hireDate: isoDay(employee.startDate),
    employment: state === 'TERMINATED' ? 'terminated' : state === 'ACTIVE' ? 'active' : undefined,
    terminationDate: state === 'TERMINATED' ? isoDay(employee.endDate) : undefined,
  } as EmployeeSnapshot);
}

/**
 * Rippling's platform API with the connection's API token: one employee by id, and everyone
 * (terminated included, so a missed leaver is seen) by offset pages. It has no changed-since filter.
 */
export function rippling(access: HrisApiAccess): HrisApiClient {
  const root = rootOf(access.settings, 'https://api.rippling.com/platform/api');
  const headers = bearer(access.credentials.token);
  return {
    async employee(id) {
      const body = await callJson(
        access.http,
        { method: 'GET', url: `${root}/employees/${encodeURIComponent(id)}`, headers },
        'Rippling employee',
        true,
      );
      return isRecord(body) && textOf(body.id) ? ripplingSnapshot(body, access.mapping) : undefined;
    },
    async list({ cursor }) {
      const offset = Number(cursor ?? 0);
      const body = await callJson(
        access.http,
        {
          method: 'GET',
          url: `${root}/employees/include_terminated?limit=${PAGE}&offset=${offset}`,
          headers,
        },
        'Rippling employees',
      );
      const rows = Array.isArray(body) ? body.filter(isRecord).filter((row) => textOf(row.id)) : [];
      return {
        employees: rows.map((row) => ripplingSnapshot(row, access.mapping)),
        cursor: Array.isArray(body) && body.length === PAGE ? String(offset + PAGE) : undefined,
      };
    },
  };
}
