import type { EmployeeSnapshot, HrisApiCredentials, HrisApiSettings, HrisFieldMapping } from '@tandem/core';
import type { ApiHttp, ApiRequest } from './http.ts';

/** One page of a pull: the employees read and where the next page starts (none: the pull is done). */
export interface EmployeePage {
  employees: EmployeeSnapshot[];
  cursor?: string | undefined;
}

/**
 * A provider's API, normalized to the snapshot webhooks produce. `list` pulls everyone, or only
 * those changed since `since` where the API offers it; `cursor` continues a paged pull.
 */
export interface HrisApiClient {
  employee(externalId: string): Promise<EmployeeSnapshot | undefined>;
  list(request: { since?: string | undefined; cursor?: string | undefined }): Promise<EmployeePage>;
}

export interface HrisApiAccess {
  credentials: HrisApiCredentials;
  settings: HrisApiSettings;
  mapping: HrisFieldMapping;
  http: ApiHttp;
  /** The caller's clock (the use case's): what "today" and "until now" mean in a pull. */
  now: () => Date;
  /**
   * Where the connection's credentials are kept, for a provider that rotates them (Gusto's
   * refresh tokens are single-use): `save` replaces them if they are still `previous` (false:
   * something else replaced them first); `reload` reads what is kept now.
   */
  credentialStore?: CredentialStore;
}

export interface CredentialStore {
  save(next: HrisApiCredentials, previous: HrisApiCredentials): Promise<boolean>;
  reload(): Promise<HrisApiCredentials | undefined>;
}

/** A provider call that did not answer 2xx: the status is kept, the body (it may echo data) is not. */
export class HrisApiError extends Error {
  constructor(
    readonly status: number,
    what: string,
  ) {
    super(`${what} answered ${status}`);
  }
}

/** The request's answer as JSON; a 404 is `undefined` where `missing` allows it. */
export async function callJson(
  http: ApiHttp,
  request: ApiRequest,
  what: string,
  missing = false,
): Promise<unknown> {
  const response = await http({
    ...request,
    headers: { accept: 'application/json', ...request.headers },
  });
  if (missing && response.status === 404) return undefined;
  if (response.status < 200 || response.status >= 300) throw new HrisApiError(response.status, what);
  try {
    return JSON.parse(response.body);
  } catch {
    throw new Error(`${what} answered something other than JSON`);
  }
}

export const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token ?? ''}` });
export const basic = (user: string | undefined, password: string | undefined) => ({
  authorization: `Basic ${Buffer.from(`${user ?? ''}:${password ?? ''}`).toString('base64')}`,
});

/** The API root: the connection's override, else the provider's own host. */
export const rootOf = (settings: HrisApiSettings, fallback: string) =>
  (settings.baseUrl ?? fallback).replace(/\/+$/, '');
