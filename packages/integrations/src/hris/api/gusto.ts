import type { EmployeeSnapshot, HrisApiCredentials } from '@tandem/core';
import { at, defined, isRecord, textOf } from '../common.ts';
import { bearer, callJson, type HrisApiAccess, type HrisApiClient, HrisApiError, rootOf } from './client.ts';

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
 * Gusto's OAuth: an access token lasts two hours; a refresh token buys the next one and a new
 * refresh token, and Gusto revokes the spent one once the new access token is first used. So the
 * new pair is kept (through the connection's credential store) before the new access token is
 * used: a crash in between leaves the kept refresh token still good. Two workers that refresh at
 * once both get a pair; the first to keep its pair wins and the other takes the kept one.
 */
function gustoTokens(access: HrisApiAccess, root: string) {
  let credentials = access.credentials;
  let refreshing: Promise<void> | undefined;
  const exchange = async (current: HrisApiCredentials): Promise<HrisApiCredentials> => {
    const body = await callJson(
      access.http,
      {
        method: 'POST',
        url: new URL('/oauth/token', `${root}/`).href,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: current.clientId,
          client_secret: current.clientSecret,
          refresh_token: current.refreshToken,
          grant_type: 'refresh_token',
        }),
      },
      'Gusto token',
    );
    const token = isRecord(body) ? textOf(body.access_token) : undefined;
    const refreshToken = isRecord(body) ? textOf(body.refresh_token) : undefined;
    if (!token || !refreshToken)
      throw new Error('Gusto token answered without an access and a refresh token');
    return { ...current, token, refreshToken };
  };
  const refresh = async () => {
    const current = credentials;
    const store = access.credentialStore;
    let next: HrisApiCredentials;
    try {
      next = await exchange(current);
    } catch (error) {
      // Spent by another worker, which kept the pair it got: take that pair.
      const kept = error instanceof HrisApiError ? await store?.reload() : undefined;
      if (!kept?.refreshToken || kept.refreshToken === current.refreshToken) throw error;
      credentials = kept;
      return;
    }
    if (!store || (await store.save(next, current))) credentials = next;
    else credentials = (await store.reload()) ?? next;
  };
  return {
    canRefresh: () => Boolean(credentials.refreshToken),
    headers: () => bearer(credentials.token),
    hasToken: () => Boolean(credentials.token),
    /** One exchange at a time: calls that found the token expired together wait for the same one. */
    refresh: () => {
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
  };
}

/**
 * Gusto's API (OAuth tokens for the company, refreshed as they expire): one employee by uuid; the
 * company's employees (its uuid is the connection's account) by page. No changed-since filter.
 */
export function gusto(access: HrisApiAccess): HrisApiClient {
  const root = rootOf(access.settings, 'https://api.gusto.com/v1');
  const company = encodeURIComponent(access.settings.account ?? '');
  const tokens = gustoTokens(access, root);
  /** A call with the current access token; one that answers 401 is tried once more with a fresh one. */
  const call = async (url: string, what: string, missing = false) => {
    if (!tokens.hasToken() && tokens.canRefresh()) await tokens.refresh();
    const attempt = () =>
      callJson(access.http, { method: 'GET', url, headers: tokens.headers() }, what, missing);
    const sent = tokens.headers().authorization;
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof HrisApiError && error.status === 401 && tokens.canRefresh())) throw error;
      // Another call of this client may have refreshed meanwhile: then its token is tried.
      if (tokens.headers().authorization === sent) await tokens.refresh();
      return attempt();
    }
  };
  return {
    async employee(id) {
      const body = await call(`${root}/employees/${encodeURIComponent(id)}`, 'Gusto employee', true);
      return isRecord(body) && textOf(body.uuid) ? gustoSnapshot(body, access.mapping) : undefined;
    },
    async list({ cursor }) {
      const page = Number(cursor ?? 1);
      const body = await call(
        `${root}/companies/${company}/employees?page=${page}&per=${PAGE}`,
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
