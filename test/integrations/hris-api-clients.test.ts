import type { HrisApiCredentials } from '@tandem/core';
import { type CredentialStore, guardedHttp, type HrisApiClient, hrisApiClients } from '@tandem/integrations';
import { describe, expect, test } from 'vitest';
import { loopbackUrlPolicy } from '../support/app.ts';
import { fakeGusto, GUSTO_CLIENT } from '../support/fake-gusto.ts';
import { recordedApi } from '../support/recorded-api.ts';

/**
 * Each provider's API client against recorded responses served on 127.0.0.1 (the vendor
 * boundary, the only test double): the requests it sends (paths, auth) and the snapshots it reads.
 */
const http = guardedHttp(loopbackUrlPolicy);
/** The clients' clock, far from the wall clock: what they send and decide follows it, not the machine's. */
const CLOCK = new Date('2031-06-15T12:00:00.000Z');
const client = (
  provider: keyof typeof hrisApiClients,
  url: string,
  credentials: Record<string, string>,
  settings: Record<string, string> = {},
  now = CLOCK,
): HrisApiClient =>
  hrisApiClients[provider]({
    credentials,
    settings: { baseUrl: url, ...settings },
    mapping: {},
    http,
    now: () => now,
  });

describe('provider API clients', () => {
  test('Rippling: one employee by id with the Bearer token; everyone, terminated included', async () => {
    const api = await recordedApi([
      { method: 'GET', path: '/employees/5f1a2b3c4d5e6f7a8b9c0d10', file: 'rippling/employee-r100.json' },
      {
        method: 'GET',
        path: '/employees/include_terminated?limit=100&offset=0',
        file: 'rippling/employees-later.json',
      },
    ]);
    const rippling = client('rippling', api.url, { token: 'rippling-api-token-1' });
    expect(await rippling.employee('5f1a2b3c4d5e6f7a8b9c0d10')).toEqual({
      externalId: '5f1a2b3c4d5e6f7a8b9c0d10',
      name: 'Rita Okafor',
      email: 'rita.okafor@example.com',
      department: 'Platform',
      title: 'Staff Engineer',
      location: 'London HQ',
      managerExternalId: '5f1a2b3c4d5e6f7a8b9c0d01',
      hireDate: '2024-02-05',
      employment: 'active',
    });
    expect(api.seen[0]!.headers.authorization).toBe('Bearer rippling-api-token-1');
    const page = await rippling.list({});
    expect(page.cursor).toBeUndefined();
    expect(page.employees.map((e) => [e.externalId.slice(-2), e.employment, e.terminationDate])).toEqual([
      ['01', 'active', undefined],
      ['10', 'terminated', '2026-01-09'],
      ['22', 'active', undefined],
    ]);
    // An unknown employee is undefined, not an error.
    expect(await rippling.employee('nobody')).toBeUndefined();
  });

  test('Workday: Get_Workers with a WS-Security username token; pages; a transaction-log delta; one worker by Employee_ID', async () => {
    const api = await recordedApi([
      {
        method: 'POST',
        path: '/ccx/service/acme/Human_Resources/v42.0',
        bodyIncludes: ['Transaction_Log_Criteria_Data'],
        file: 'workday/get-workers-transaction-log.xml',
      },
      {
        method: 'POST',
        path: '/ccx/service/acme/Human_Resources/v42.0',
        bodyIncludes: ['bsvc:type="Employee_ID">21003<'],
        file: 'workday/get-worker-21003.xml',
      },
      {
        method: 'POST',
        path: '/ccx/service/acme/Human_Resources/v42.0',
        bodyIncludes: ['<bsvc:Page>1<'],
        file: 'workday/get-workers-page1.xml',
      },
      {
        method: 'POST',
        path: '/ccx/service/acme/Human_Resources/v42.0',
        bodyIncludes: ['<bsvc:Page>2<'],
        file: 'workday/get-workers-page2.xml',
      },
    ]);
    const workday = client('workday', `${api.url}/ccx/service/acme/Human_Resources/v42.0`, {
      username: 'ISU_Tandem@acme',
      password: 'p<ss&word',
    });
    const first = await workday.list({});
    expect(first.employees).toEqual([
      {
        externalId: '21000',
        name: 'Logan McNeil',
        email: 'logan.mcneil@example.com',
        department: 'Executive Management',
        title: 'Chief Executive Officer',
        location: 'San Francisco',
        hireDate: '2000-01-01',
        employment: 'active',
      },
    ]);
    expect(api.seen[0]!.body).toContain('<wsse:Username>ISU_Tandem@acme</wsse:Username>');
    // The password is escaped into the XML, not spliced in raw.
    expect(api.seen[0]!.body).toContain('p&lt;ss&amp;word');
    const second = await workday.list({ cursor: first.cursor });
    expect(second).toMatchObject({
      cursor: undefined,
      employees: [{ externalId: '21001', managerExternalId: '21000' }],
    });

    const delta = await workday.list({ since: '2026-01-01T00:00:00.000Z' });
    expect(api.seen.at(-1)!.body).toContain(
      '<bsvc:Updated_From>2026-01-01T00:00:00.000Z</bsvc:Updated_From>',
    );
    // The delta ends at the caller's clock (the scheduled job's pass), not the machine's.
    expect(api.seen.at(-1)!.body).toContain(
      `<bsvc:Updated_Through>${CLOCK.toISOString()}</bsvc:Updated_Through>`,
    );
    expect(delta.employees).toMatchObject([
      { externalId: '21001', employment: 'terminated', terminationDate: '2026-01-02' },
    ]);
    expect(await workday.employee('21003')).toMatchObject({
      externalId: '21003',
      name: 'Steve Morgan',
      managerExternalId: '21001',
      hireDate: '2026-01-05',
    });
  });

  test('Merge: the account token beside the API key; modified_after and the cursor of `next`', async () => {
    const api = await recordedApi([
      {
        method: 'GET',
        path: '/employees/0958cbc6-6040-430a-848e-aafacbadf4ae?*',
        file: 'merge/employee.json',
      },
      { method: 'GET', path: '/employees?*cursor=cD0yMDIxLTAxLTA2*', file: 'merge/employees-page2.json' },
      { method: 'GET', path: '/employees?*', file: 'merge/employees-page1.json' },
    ]);
    const merge = client('merge', api.url, { token: 'merge-api-key', accountToken: 'merge-account-token' });
    expect(await merge.employee('0958cbc6-6040-430a-848e-aafacbadf4ae')).toMatchObject({
      name: 'Greta Voss',
      department: 'Sales',
      title: 'Account Executive',
      location: 'Berlin',
      employment: 'active',
    });
    expect(api.seen[0]!.headers).toMatchObject({
      authorization: 'Bearer merge-api-key',
      'x-account-token': 'merge-account-token',
    });
    const first = await merge.list({ since: '2026-01-01T00:00:00.000Z' });
    expect(new URL(api.seen.at(-1)!.path, api.url).searchParams.get('modified_after')).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(first.cursor).toBe('cD0yMDIxLTAxLTA2');
    const second = await merge.list({ cursor: first.cursor });
    expect(second).toMatchObject({
      cursor: undefined,
      employees: [{ name: 'Jon Berg', employment: 'terminated' }],
    });
  });

  test("Merge: an employee not marked active leaves on the termination date by the caller's clock", async () => {
    const terminationDate = '2031-06-10';
    const api = await recordedApi([
      {
        method: 'GET',
        path: '/employees/mrg-leaver?*',
        json: {
          id: 'mrg-leaver',
          first_name: 'Lena',
          last_name: 'Park',
          work_email: 'lena.park@example.com',
          employment_status: null,
          termination_date: `${terminationDate}T00:00:00Z`,
          remote_was_deleted: false,
        },
      },
    ]);
    const credentials = { token: 'merge-api-key', accountToken: 'merge-account-token' };
    const at = (now: string) =>
      client('merge', api.url, credentials, {}, new Date(now)).employee('mrg-leaver');
    // Before the date nothing says the employee left (nor that they are active).
    expect((await at('2031-06-09T23:00:00.000Z'))?.employment).toBeUndefined();
    expect(await at(`${terminationDate}T00:00:00.000Z`)).toMatchObject({ employment: 'terminated' });
  });

  test('BambooHR: Basic with the API key; changed-since ids, each read with its fields', async () => {
    const api = await recordedApi([
      {
        method: 'GET',
        path: '/employees/changed?since=2026-01-01T00%3A00%3A00Z',
        file: 'bamboohr/changed.json',
      },
      { method: 'GET', path: '/employees/directory', file: 'bamboohr/directory.json' },
      { method: 'GET', path: '/employees/67890?*', file: 'bamboohr/employee-67890.json' },
    ]);
    const bamboo = client('bamboohr', api.url, { token: 'bamboo-api-key' }, { account: 'acme' });
    const expected = {
      externalId: '67890',
      name: 'Lena Park',
      email: 'lena.park@example.com',
      department: 'Finance',
      title: 'Controller',
      location: 'Denver',
      managerExternalId: '100',
      hireDate: '2023-09-18',
      employment: 'active',
    };
    expect((await bamboo.list({ since: '2026-01-01T00:00:00.000Z' })).employees).toEqual([expected]);
    expect((await bamboo.list({})).employees).toEqual([expected]);
    expect(api.seen[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('bamboo-api-key:x').toString('base64')}`,
    );
  });

  test('HiBob: people search with inactive people shown, by id or all', async () => {
    const api = await recordedApi([
      { method: 'POST', path: '/people/search', bodyIncludes: ['root.id'], file: 'hibob/search-one.json' },
    ]);
    const bob = client('hibob', api.url, { username: 'SERVICE-123', password: 'bob-token' });
    expect(await bob.employee('3332883854254932743')).toEqual({
      externalId: '3332883854254932743',
      name: 'Sam Cole',
      email: 'sam.cole@example.com',
      department: 'Product',
      title: 'Product Manager',
      location: 'Tel Aviv',
      managerExternalId: '3332883804594373380',
      hireDate: '2022-05-01',
      employment: 'active',
    });
    const sent = JSON.parse(api.seen[0]!.body);
    expect(sent).toMatchObject({
      showInactive: true,
      filters: [{ fieldPath: 'root.id', values: ['3332883854254932743'] }],
    });
    api.play([{ method: 'POST', path: '/people/search', file: 'hibob/search-all.json' }]);
    const all = await bob.list({});
    expect(all.employees.map((e) => [e.name, e.employment, e.terminationDate])).toEqual([
      ['Sam Cole', 'active', undefined],
      ['Ira Gold', 'terminated', '2025-12-31'],
    ]);
  });

  test('Finch: the directory, then individual and employment reads of its ids', async () => {
    const api = await recordedApi([
      { method: 'GET', path: '/employer/directory?limit=100&offset=0', file: 'finch/directory.json' },
      { method: 'POST', path: '/employer/individual', file: 'finch/individual.json' },
      { method: 'POST', path: '/employer/employment', file: 'finch/employment.json' },
    ]);
    const finch = client('finch', api.url, { token: 'finch-access-token' });
    const page = await finch.list({});
    expect(page).toEqual({
      cursor: undefined,
      employees: [
        {
          externalId: '12345678-aaaa-bbbb-cccc-000000000001',
          name: 'Ola Nordmann',
          email: 'ola.nordmann@example.com',
          department: 'Ops',
          title: 'Ops Lead',
          location: 'Oslo',
          managerExternalId: '12345678-aaaa-bbbb-cccc-000000000009',
          hireDate: '2024-08-01',
          employment: 'active',
        },
      ],
    });
    expect(api.seen.find((r) => r.path === '/employer/individual')!.headers['finch-api-version']).toBe(
      '2020-09-17',
    );
  });

  test("Gusto: an employee by uuid; the company's employees by page", async () => {
    const api = await recordedApi([
      { method: 'GET', path: '/employees/bcfc9744-9d3a-4a5e-8d3b-2a4f1e3c9a11', file: 'gusto/employee.json' },
      { method: 'GET', path: '/companies/c-uuid-1/employees?page=1&per=100', file: 'gusto/employees.json' },
    ]);
    const gusto = client('gusto', api.url, { token: 'gusto-access-token' }, { account: 'c-uuid-1' });
    expect(await gusto.employee('bcfc9744-9d3a-4a5e-8d3b-2a4f1e3c9a11')).toMatchObject({
      name: 'Ava Reyes',
      title: 'Support Specialist',
      hireDate: '2024-03-11',
      employment: 'active',
    });
    const page = await gusto.list({});
    expect(page.employees[1]).toMatchObject({ employment: 'terminated', terminationDate: '2025-11-30' });
  });

  test('Gusto: a refresh token another worker spent is not retried: the pair that worker kept is taken; with none kept the call fails', async () => {
    const FIRST = 'gusto-refresh-token-first-0002';
    const gusto = await fakeGusto(FIRST);
    // The connection's kept credentials (the app keeps them on the connection item).
    let kept: HrisApiCredentials = { ...GUSTO_CLIENT, refreshToken: FIRST };
    const credentialStore: CredentialStore = {
      async save(next, previous) {
        if (kept.refreshToken !== previous.refreshToken) return false;
        kept = next;
        return true;
      },
      reload: async () => kept,
    };
    const worker = (credentials: HrisApiCredentials) =>
      hrisApiClients.gusto({
        credentials,
        settings: { baseUrl: gusto.url, account: 'c-uuid-1' },
        mapping: {},
        http,
        now: () => CLOCK,
        credentialStore,
      });
    const AVA = 'bcfc9744-9d3a-4a5e-8d3b-2a4f1e3c9a11';
    // One worker exchanges FIRST and uses the new token, which revokes FIRST.
    const stale = kept;
    expect(await worker(kept).employee(AVA)).toMatchObject({ name: 'Ava Reyes' });
    expect(gusto.refreshable(FIRST)).toBe(false);
    // Another, still holding FIRST: its exchange is refused, and it goes on with the kept pair.
    expect(await worker(stale).employee(AVA)).toMatchObject({ name: 'Ava Reyes' });
    expect(gusto.exchanges.map((e) => [e.refreshToken, e.status])).toEqual([
      [FIRST, 200],
      [FIRST, 401],
    ]);
    expect(gusto.used).toEqual([kept.token, kept.token]);

    // Revoked, with nothing newer kept (access withdrawn in Gusto): the call fails with the refusal.
    kept = stale;
    await expect(worker(stale).employee(AVA)).rejects.toThrow('Gusto token answered 401');
  });

  test('Personio: a client-credentials token once, then persons and their employment by cursor', async () => {
    const api = await recordedApi([
      { method: 'POST', path: '/v2/auth/token', file: 'personio/token.json' },
      { method: 'GET', path: '/v2/persons/1234567/employments', file: 'personio/employments.json' },
      { method: 'GET', path: '/v2/persons/1234567', file: 'personio/person.json' },
      {
        method: 'GET',
        path: '/v2/persons?limit=50&cursor=eyJpZCI6MTIzNDU2N30',
        file: 'personio/persons-page2.json',
      },
      { method: 'GET', path: '/v2/persons?limit=50', file: 'personio/persons-page1.json' },
    ]);
    const personio = client('personio', api.url, { clientId: 'papi-client', clientSecret: 'papi-secret' });
    expect(await personio.employee('1234567')).toEqual({
      externalId: '1234567',
      name: 'Jo Weber',
      email: 'jonas.weber@example.com',
      title: 'Backend Developer',
      managerExternalId: '1234500',
      hireDate: '2024-01-15',
      employment: 'active',
    });
    const first = await personio.list({});
    expect(first.cursor).toBe('eyJpZCI6MTIzNDU2N30');
    expect(await personio.list({ cursor: first.cursor })).toEqual({ employees: [], cursor: undefined });
    expect(api.seen.filter((r) => r.path === '/v2/auth/token')).toHaveLength(1);
    expect(new URLSearchParams(api.seen[0]!.body).get('grant_type')).toBe('client_credentials');
    expect(api.seen[1]!.headers.authorization).toBe('Bearer personio-test-access-token');
  });

  test('calls pass the SSRF guard: AWS policy refuses loopback and plain http before any request', async () => {
    const api = await recordedApi([]);
    const strict = hrisApiClients.rippling({
      credentials: { token: 't' },
      settings: { baseUrl: api.url },
      mapping: {},
      http: guardedHttp({ allowInsecureUrls: false }),
      now: () => CLOCK,
    });
    await expect(strict.employee('x')).rejects.toThrow(/not allowed/);
    expect(api.seen).toHaveLength(0);
  });
});
