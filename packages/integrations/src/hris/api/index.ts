import type { HrisApiProvider } from '@tandem/core';
import { bamboohr } from './bamboohr.ts';
import type { HrisApiAccess, HrisApiClient } from './client.ts';
import { finch } from './finch.ts';
import { gusto } from './gusto.ts';
import { hibob } from './hibob.ts';
import { merge } from './merge.ts';
import { personio } from './personio.ts';
import { rippling } from './rippling.ts';
import { workday } from './workday.ts';

export type { CredentialStore, EmployeePage, HrisApiAccess, HrisApiClient } from './client.ts';
export { HrisApiError } from './client.ts';
export { type ApiHttp, type ApiRequest, type ApiResponse, type ApiUrlPolicy, guardedHttp } from './http.ts';

/** One client per provider with an API, built for a connection's credentials and settings. */
export const hrisApiClients: Record<HrisApiProvider, (access: HrisApiAccess) => HrisApiClient> = {
  rippling,
  workday,
  merge,
  bamboohr,
  hibob,
  finch,
  gusto,
  personio,
};
