import type { EmployeeSnapshot } from '@tandem/core';
import { at, defined, isRecord, textOf } from '../common.ts';
import { bearer, callJson, type HrisApiAccess, type HrisApiClient, rootOf } from './client.ts';

const PAGE = 100;
const isoDay = (value: unknown) => textOf(value)?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];

/** Finch answers batch reads as `{ responses: [{ individual_id, code, body }] }`. */
const bodiesOf = (value: unknown) =>
  new Map(
    (isRecord(value) && Array.isArray(value.responses) ? value.responses.filter(isRecord) : [])
      .filter((r) => (r.code === undefined || r.code === 200) && isRecord(r.body))
      .map((r) => [textOf(r.individual_id) ?? '', r.body as Record<string, unknown>]),
  );

function finchSnapshot(
  id: string,
  individual: Record<string, unknown>,
  employment: Record<string, unknown>,
  mapping: HrisApiAccess['mapping'],
): EmployeeSnapshot {
  const both = { ...individual, ...employment };
  const pick = (key: keyof typeof mapping, fallback: unknown) =>
    textOf(mapping[key] ? at(both, mapping[key]) : fallback);
  const emails = Array.isArray(individual.emails) ? individual.emails.filter(isRecord) : [];
  const work = emails.find((e) => e.type === 'work') ?? emails[0];
  const location = isRecord(employment.location) ? textOf(employment.location.city) : undefined;
  const ended = isoDay(employment.end_date);
  return defined({
    externalId: id,
    name:
      [textOf(individual.preferred_name) ?? textOf(individual.first_name), textOf(individual.last_name)]
        .filter(Boolean)
        .join(' ') || undefined,
    email: pick('email', work?.data),
    department: pick('department', isRecord(employment.department) ? employment.department.name : undefined),
    title: pick('title', employment.title),
    location: pick('location', location),
    managerExternalId: pick(
      'managerExternalId',
      isRecord(employment.manager) ? employment.manager.id : undefined,
    ),
    hireDate: isoDay(employment.start_date),
    employment:
      employment.is_active === false ? 'terminated' : employment.is_active === true ? 'active' : undefined,
    terminationDate: employment.is_active === false ? ended : undefined,
  } as EmployeeSnapshot);
}

/**
 * Finch (an access token per connected employer): an individual's personal and employment data
 * are two batch reads; the directory is paged by offset and has no changed-since filter.
 */
export function finch(access: HrisApiAccess): HrisApiClient {
  const root = rootOf(access.settings, 'https://api.tryfinch.com');
  const headers = {
    ...bearer(access.credentials.token),
    'content-type': 'application/json',
    'finch-api-version': '2020-09-17',
  };
  const read = async (ids: string[]) => {
    if (ids.length === 0) return [];
    const requests = JSON.stringify({ requests: ids.map((individual_id) => ({ individual_id })) });
    const [individuals, employments] = await Promise.all(
      ['individual', 'employment'].map(async (kind) =>
        bodiesOf(
          await callJson(
            access.http,
            { method: 'POST', url: `${root}/employer/${kind}`, headers, body: requests },
            `Finch ${kind}`,
          ),
        ),
      ),
    );
    return ids
      .filter((id) => individuals!.has(id) || employments!.has(id))
      .map((id) => finchSnapshot(id, individuals!.get(id) ?? {}, employments!.get(id) ?? {}, access.mapping));
  };
  return {
    async employee(id) {
      const [found] = await read([id]);
      return found;
    },
    async list({ cursor }) {
      const offset = Number(cursor ?? 0);
      const body = await callJson(
        access.http,
        { method: 'GET', url: `${root}/employer/directory?limit=${PAGE}&offset=${offset}`, headers },
        'Finch directory',
      );
      const rows = isRecord(body) && Array.isArray(body.individuals) ? body.individuals.filter(isRecord) : [];
      const ids = rows.flatMap((row) => (textOf(row.id) ? [textOf(row.id)!] : []));
      return {
        employees: await read(ids),
        cursor: rows.length === PAGE ? String(offset + PAGE) : undefined,
      };
    },
  };
}
