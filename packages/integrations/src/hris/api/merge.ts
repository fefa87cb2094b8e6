import { isRecord, textOf } from '../common.ts';
import { mergeSnapshot } from '../merge.ts';
import { bearer, callJson, type HrisApiAccess, type HrisApiClient, rootOf } from './client.ts';

const EXPAND = 'expand=team,work_location,employments';

/**
 * Merge's unified HRIS API (API key + the linked account's token): the same employee object its
 * webhooks carry, with relations expanded so names, not ids, arrive; `modified_after` for deltas.
 */
export function merge(access: HrisApiAccess): HrisApiClient {
  const root = rootOf(access.settings, 'https://api.merge.dev/api/hris/v1');
  const headers = {
    ...bearer(access.credentials.token),
    'x-account-token': access.credentials.accountToken ?? '',
  };
  const today = () => access.now().toISOString().slice(0, 10);
  return {
    async employee(id) {
      const body = await callJson(
        access.http,
        { method: 'GET', url: `${root}/employees/${encodeURIComponent(id)}?${EXPAND}`, headers },
        'Merge employee',
        true,
      );
      return isRecord(body) && textOf(body.id) ? mergeSnapshot(body, access.mapping, today()) : undefined;
    },
    async list({ since, cursor }) {
      const query = new URLSearchParams({ page_size: '100', include_remote_data: 'false' });
      if (since) query.set('modified_after', since);
      if (cursor) query.set('cursor', cursor);
      const body = await callJson(
        access.http,
        { method: 'GET', url: `${root}/employees?${query}&${EXPAND}`, headers },
        'Merge employees',
      );
      const rows = isRecord(body) && Array.isArray(body.results) ? body.results.filter(isRecord) : [];
      return {
        employees: rows
          .filter((row) => textOf(row.id))
          .map((row) => mergeSnapshot(row, access.mapping, today())),
        cursor: isRecord(body) ? textOf(body.next) : undefined,
      };
    },
  };
}
