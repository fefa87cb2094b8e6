import {
  type HrisProviderModule,
  ignored,
  isRecord,
  parseJson,
  textOf,
  thin,
  verifyToken,
} from './common.ts';

/** Where Rippling's pokes may name the employee (its field name is not documented). */
const ID_FIELDS = ['employee_id', 'employeeId', 'resource_id', 'role_id', 'id'];

/**
 * Rippling: partner webhooks are form-encoded pokes (`event_name`, `company_id`, the resource id)
 * sent with the Bearer token Tandem issued, about five minutes late and sometimes several at
 * once. They carry no data, so the employee is fetched from Rippling's API.
 */
export const rippling: HrisProviderModule = {
  verify: (delivery, secrets) => verifyToken(delivery, secrets),
  pokes: true,
  read(delivery) {
    const json = parseJson(delivery.body);
    const fields: Record<string, unknown> = isRecord(json)
      ? json
      : Object.fromEntries(new URLSearchParams(delivery.body.toString('utf8')));
    const type = textOf(fields.event_name);
    if (!type) return ignored('not a Rippling webhook (no event_name)');
    if (!/employee|hire|role/i.test(type)) return ignored('event type Tandem does not handle', type);
    const id = ID_FIELDS.map((name) => textOf(fields[name])).find(Boolean);
    return thin(type, id);
  },
};
