import { bamboohrSnapshot } from '../bamboohr.ts';
import { isRecord, textOf } from '../common.ts';
import { basic, callJson, type HrisApiAccess, type HrisApiClient, rootOf } from './client.ts';

const FIELDS =
  'firstName,lastName,displayName,workEmail,department,jobTitle,location,supervisorEId,hireDate,status,employmentStatus,terminationDate';

/**
 * BambooHR's API (the API key as the Basic user, the company domain as the account): one
 * employee's fields, and the ids changed since a time (`/employees/changed`), or the directory for
 * a full pull, each then read field by field. A pull is one pass: the lists are not paged.
 */
export function bamboohr(access: HrisApiAccess): HrisApiClient {
  const account = encodeURIComponent(access.settings.account ?? '');
  const root = rootOf(access.settings, `https://api.bamboohr.com/api/gateway.php/${account}/v1`);
  const headers = basic(access.credentials.token, 'x');
  const employee = async (id: string) => {
    const body = await callJson(
      access.http,
      { method: 'GET', url: `${root}/employees/${encodeURIComponent(id)}?fields=${FIELDS}`, headers },
      'BambooHR employee',
      true,
    );
    return isRecord(body) ? bamboohrSnapshot(id, body, access.mapping) : undefined;
  };
  return {
    employee,
    async list({ since }) {
      const body = await callJson(
        access.http,
        {
          method: 'GET',
          url: since
            ? `${root}/employees/changed?since=${encodeURIComponent(since.replace(/\.\d{3}Z$/, 'Z'))}`
            : `${root}/employees/directory`,
          headers,
        },
        'BambooHR employee list',
      );
      const entries = !isRecord(body)
        ? []
        : Array.isArray(body.employees)
          ? body.employees
          : isRecord(body.employees)
            ? Object.values(body.employees)
            : [];
      const ids = entries.flatMap((entry) =>
        isRecord(entry) && textOf(entry.id) ? [textOf(entry.id)!] : [],
      );
      const employees = [];
      for (const id of ids) {
        const snapshot = await employee(id);
        if (snapshot) employees.push(snapshot);
      }
      return { employees };
    },
  };
}
