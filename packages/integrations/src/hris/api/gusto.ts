import type { EmployeeSnapshot } from '@tandem/core';
import { at, defined, isRecord, textOf } from '../common.ts';
import { bearer, callJson, type HrisApiAccess, type HrisApiClient, rootOf } from './client.ts';

const PAGE = 100;
const isoDay = (value: unknown) => textOf(value)?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];

function gustoSnapshot(
  employee: Record<string, unknown>,
  mapping: HrisApiAccess['mapping'],
): EmployeeSnapshot {
  const pick = (key: keyof typeof mapping, fallback: unknown) =>
    textOf(mapping[key] ? at(employee, mapping[key]) : fallback);
  const jobs = Array.isArray(employee.jobs) ? employee.jobs.filter(isRecord) : [];
  const job = jobs.find((j) => j.primary === true) ?? jobs[0];
  const terminations = Array.isArray(employee.terminations) ? employee.terminations.filter(isRecord) : [];
  const termination = terminations.find((t) => t.cancelled !== true);
  const first = textOf(employee.preferred_first_name) ?? textOf(employee.first_name);
  return defined({
    externalId: textOf(employee.uuid) as string,
    name: [first, textOf(employee.last_name)].filter(Boolean).join(' ') || undefined,
    email: pick('email', employee.work_email ?? employee.email),
    department: pick('department', employee.department),
    title: pick('title', job?.title),
    location: pick('location', undefined),
    managerExternalId: pick('managerExternalId', employee.manager_uuid),
    hireDate: isoDay(job?.hire_date),
    employment: employee.terminated === true || termination ? 'terminated' : 'active',
    terminationDate: isoDay(termination?.effective_date),
  } as EmployeeSnapshot);
}

/**
 * Gusto's API (an OAuth access token for the company): one employee by uuid; the company's
 * employees (its uuid is the connection's account) by page. No changed-since filter.
 */
export function gusto(access: HrisApiAccess): HrisApiClient {
  const root = rootOf(access.settings, 'https://api.gusto.com/v1');
  const headers = bearer(access.credentials.token);
  const company = encodeURIComponent(access.settings.account ?? '');
  return {
    async employee(id) {
      const body = await callJson(
        access.http,
        { method: 'GET', url: `${root}/employees/${encodeURIComponent(id)}`, headers },
        'Gusto employee',
        true,
      );
      return isRecord(body) && textOf(body.uuid) ? gustoSnapshot(body, access.mapping) : undefined;
    },
    async list({ cursor }) {
      const page = Number(cursor ?? 1);
      const body = await callJson(
        access.http,
        { method: 'GET', url: `${root}/companies/${company}/employees?page=${page}&per=${PAGE}`, headers },
        'Gusto employees',
      );
      const rows = Array.isArray(body) ? body.filter(isRecord).filter((row) => textOf(row.uuid)) : [];
      return {
        employees: rows.map((row) => gustoSnapshot(row, access.mapping)),
        cursor: Array.isArray(body) && body.length === PAGE ? String(page + 1) : undefined,
      };
    },
  };
}
