import type { EmployeeSnapshot } from '@tandem/core';
import { XMLParser } from 'fast-xml-parser';
import { defined, isRecord, textOf } from '../common.ts';
import { type HrisApiAccess, type HrisApiClient, HrisApiError, rootOf } from './client.ts';

const PAGE = 100;
const VERSION = 'v42.0';

/** Elements that repeat; everything else parses as one object. */
const repeated = new Set([
  'Worker',
  'ID',
  'Email_Address_Data',
  'Worker_Job_Data',
  'Worker_Organization_Data',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => repeated.has(name),
});

const escapeXml = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

type Node = Record<string, unknown>;
const child = (node: unknown, ...path: string[]): unknown => {
  let current = node;
  for (const name of path) {
    if (Array.isArray(current)) current = current[0];
    if (!isRecord(current)) return undefined;
    current = current[name];
  }
  return current;
};
const list = (value: unknown): Node[] =>
  Array.isArray(value) ? value.filter(isRecord) : isRecord(value) ? [value] : [];
const text = (value: unknown) => textOf(isRecord(value) ? value['#text'] : value);
/** The `ID` of a reference whose `type` attribute is `type`. */
const idOf = (reference: unknown, type: string) =>
  text(list(child(reference, 'ID')).find((id) => id['@_type'] === type));
const isoDay = (value: unknown) => text(value)?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];

/** A `Worker` of Get_Workers as a snapshot: legal name, work email, primary job, supervisory org, status. */
export function workdaySnapshot(worker: Node): EmployeeSnapshot | undefined {
  const data = child(worker, 'Worker_Data');
  const id = idOf(child(worker, 'Worker_Reference'), 'Employee_ID') ?? text(child(data, 'Worker_ID'));
  if (!id) return undefined;
  const name = child(data, 'Personal_Data', 'Name_Data', 'Legal_Name_Data', 'Name_Detail_Data');
  const emails = list(child(data, 'Personal_Data', 'Contact_Data', 'Email_Address_Data'));
  const work = emails.find(
    (e) =>
      idOf(child(e, 'Usage_Data', 'Type_Data', 'Type_Reference'), 'Communication_Usage_Type_ID') === 'WORK',
  );
  const jobs = list(child(data, 'Employment_Data', 'Worker_Job_Data'));
  const job = jobs.find((j) => j['@_Primary_Job'] === '1') ?? jobs[0];
  const position = child(job, 'Position_Data');
  const status = child(data, 'Employment_Data', 'Worker_Status_Data');
  const organizations = list(child(data, 'Organization_Data', 'Worker_Organization_Data'));
  const supervisory = organizations
    .map((o) => child(o, 'Organization_Data'))
    .find((o) => idOf(child(o, 'Organization_Type_Reference'), 'Organization_Type_ID') === 'SUPERVISORY');
  const terminated = text(child(status, 'Terminated')) === '1' || text(child(status, 'Active')) === '0';
  const first = text(child(name, 'First_Name'));
  const last = text(child(name, 'Last_Name'));
  return defined({
    externalId: id,
    name:
      textOf(isRecord(name) ? name['@_Formatted_Name'] : undefined) ??
      ([first, last].filter(Boolean).join(' ') || undefined),
    email: text(child(work ?? emails[0], 'Email_Address')),
    department: text(child(supervisory, 'Organization_Name')),
    title: text(child(position, 'Business_Title')),
    location: text(child(position, 'Business_Site_Summary_Data', 'Name')),
    managerExternalId: idOf(
      child(position, 'Manager_as_of_last_detected_manager_change_Reference'),
      'Employee_ID',
    ),
    hireDate: isoDay(child(status, 'Hire_Date')),
    employment: terminated ? 'terminated' : text(child(status, 'Active')) === '1' ? 'active' : undefined,
    terminationDate: terminated ? isoDay(child(status, 'Termination_Date')) : undefined,
  } as EmployeeSnapshot);
}

/** A paged pull's place: the page to read next and the transaction-log window it reads. */
interface WorkdayCursor {
  page: number;
  from?: string | undefined;
  through?: string | undefined;
}

/**
 * Workday Web Services `Get_Workers` (SOAP, WS-Security username token of an integration system
 * user) at the tenant's own endpoint, which the connection's `api.baseUrl` names. A delta reads
 * the transaction log (`Updated_From`/`Updated_Through`), as Entra's Workday connector does; the
 * window is fixed at the first page so later pages read the same set.
 */
export function workday(access: HrisApiAccess): HrisApiClient {
  const root = rootOf(
    access.settings,
    `https://wd2-impl-services1.workday.com/ccx/service/${access.settings.account ?? ''}/Human_Resources/${VERSION}`,
  );
  const { username = '', password = '' } = access.credentials;
  const call = async (criteria: string, page: number) => {
    const envelope = `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:bsvc="urn:com.workday/bsvc">
<env:Header><wsse:Security env:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken><wsse:Username>${escapeXml(username)}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">${escapeXml(password)}</wsse:Password></wsse:UsernameToken></wsse:Security></env:Header>
<env:Body><bsvc:Get_Workers_Request bsvc:version="${VERSION}">${criteria}<bsvc:Response_Filter><bsvc:Page>${page}</bsvc:Page><bsvc:Count>${PAGE}</bsvc:Count></bsvc:Response_Filter><bsvc:Response_Group><bsvc:Include_Reference>true</bsvc:Include_Reference><bsvc:Include_Personal_Information>true</bsvc:Include_Personal_Information><bsvc:Include_Employment_Information>true</bsvc:Include_Employment_Information><bsvc:Include_Organizations>true</bsvc:Include_Organizations></bsvc:Response_Group></bsvc:Get_Workers_Request></env:Body>
</env:Envelope>`;
    const response = await access.http({
      method: 'POST',
      url: root,
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body: envelope,
    });
    if (response.status < 200 || response.status >= 300)
      throw new HrisApiError(response.status, 'Workday Get_Workers');
    const parsed = parser.parse(response.body) as unknown;
    const result = child(parsed, 'Envelope', 'Body', 'Get_Workers_Response');
    if (!isRecord(result)) throw new Error('Workday Get_Workers answered without a Get_Workers_Response');
    const workers = list(child(result, 'Response_Data', 'Worker'));
    const pages = Number(text(child(result, 'Response_Results', 'Total_Pages')) ?? 1);
    return { employees: workers.flatMap((w) => workdaySnapshot(w) ?? []), more: page < pages };
  };
  return {
    async employee(id) {
      const reference = `<bsvc:Request_References bsvc:Skip_Non_Existing_Instances="true"><bsvc:Worker_Reference><bsvc:ID bsvc:type="Employee_ID">${escapeXml(id)}</bsvc:ID></bsvc:Worker_Reference></bsvc:Request_References>`;
      const { employees } = await call(reference, 1);
      return employees.find((e) => e.externalId === id);
    },
    async list({ since, cursor }) {
      const place: WorkdayCursor = cursor
        ? (JSON.parse(cursor) as WorkdayCursor)
        : { page: 1, ...(since ? { from: since, through: access.now().toISOString() } : {}) };
      const criteria = place.from
        ? `<bsvc:Request_Criteria><bsvc:Transaction_Log_Criteria_Data><bsvc:Transaction_Date_Range_Data><bsvc:Updated_From>${escapeXml(place.from)}</bsvc:Updated_From><bsvc:Updated_Through>${escapeXml(place.through ?? '')}</bsvc:Updated_Through></bsvc:Transaction_Date_Range_Data></bsvc:Transaction_Log_Criteria_Data></bsvc:Request_Criteria>`
        : '';
      const { employees, more } = await call(criteria, place.page);
      return { employees, cursor: more ? JSON.stringify({ ...place, page: place.page + 1 }) : undefined };
    },
  };
}
