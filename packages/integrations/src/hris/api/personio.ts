import type { EmployeeSnapshot } from '@tandem/core';
import { at, defined, isRecord, textOf } from '../common.ts';
import { bearer, callJson, type HrisApiAccess, type HrisApiClient, rootOf } from './client.ts';

const isoDay = (value: unknown) => textOf(value)?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];
const dataOf = (value: unknown) =>
  isRecord(value) && Array.isArray(value._data) ? value._data.filter(isRecord) : [];

function personioSnapshot(
  person: Record<string, unknown>,
  employment: Record<string, unknown> | undefined,
  mapping: HrisApiAccess['mapping'],
): EmployeeSnapshot {
  const both = { ...person, employment };
  const pick = (key: keyof typeof mapping, fallback: unknown) =>
    textOf(mapping[key] ? at(both, mapping[key]) : fallback);
  const status = textOf(employment?.status)?.toUpperCase();
  const first = textOf(person.preferred_name) ?? textOf(person.first_name);
  return defined({
    externalId: textOf(person.id) as string,
    name: [first, textOf(person.last_name)].filter(Boolean).join(' ') || undefined,
    email: pick('email', person.email),
    department: pick('department', undefined),
    title: pick('title', isRecord(employment?.position) ? employment.position.title : undefined),
    location: pick('location', undefined),
    managerExternalId: pick(
      'managerExternalId',
      isRecord(employment?.supervisor) ? employment.supervisor.id : undefined,
    ),
    hireDate: isoDay(employment?.start_date),
    employment: status === 'INACTIVE' ? 'terminated' : status === 'ACTIVE' ? 'active' : undefined,
    terminationDate: isoDay(employment?.termination_date),
  } as EmployeeSnapshot);
}

/**
 * Personio's v2 API (OAuth client credentials, a token per client): a person and their first
 * employment (title, supervisor, status, dates); everyone by cursor pages. Department names need
 * the org-unit API, which Tandem does not call (map one with fieldMapping instead).
 */
export function personio(access: HrisApiAccess): HrisApiClient {
  const root = rootOf(access.settings, 'https://api.personio.de');
  let token: Promise<string> | undefined;
  const authorize = () => {
    token ??= callJson(
      access.http,
      {
        method: 'POST',
        url: `${root}/v2/auth/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: access.credentials.clientId ?? '',
          client_secret: access.credentials.clientSecret ?? '',
        }).toString(),
      },
      'Personio token',
    ).then((body) => (isRecord(body) ? (textOf(body.access_token) ?? '') : ''));
    return token;
  };
  const get = async (path: string, what: string, missing = false) =>
    callJson(
      access.http,
      { method: 'GET', url: `${root}${path}`, headers: bearer(await authorize()) },
      what,
      missing,
    );
  const withEmployment = async (person: Record<string, unknown>) => {
    const id = encodeURIComponent(textOf(person.id) ?? '');
    const [employment] = dataOf(await get(`/v2/persons/${id}/employments`, 'Personio employments'));
    return personioSnapshot(person, employment, access.mapping);
  };
  return {
    async employee(id) {
      const body = await get(`/v2/persons/${encodeURIComponent(id)}`, 'Personio person', true);
      return isRecord(body) && textOf(body.id) ? withEmployment(body) : undefined;
    },
    async list({ cursor }) {
      const query = new URLSearchParams({ limit: '50', ...(cursor ? { cursor } : {}) });
      const body = await get(`/v2/persons?${query}`, 'Personio persons');
      const employees = [];
      for (const person of dataOf(body).filter((p) => textOf(p.id)))
        employees.push(await withEmployment(person));
      const next = isRecord(body) ? textOf(at(body, '_meta.links.next.href')) : undefined;
      return {
        employees,
        cursor: next ? (new URL(next, root).searchParams.get('cursor') ?? undefined) : undefined,
      };
    },
  };
}
