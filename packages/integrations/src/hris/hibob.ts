import {
  anyKeySigns,
  type HrisProviderModule,
  hmac,
  ignored,
  isRecord,
  parseJson,
  textOf,
  thin,
} from './common.ts';

const PING = 'Ping test';

/**
 * HiBob (Bob): base64 HMAC-SHA512 of the body in `Bob-Signature`. Setting a webhook up sends
 * "Ping test" (plain, then as `{"text":…}`), which must get a 2xx at once, signed or not. v2
 * events name the employee and which fields changed, not their values: the employee is fetched.
 */
export const hibob: HrisProviderModule = {
  handshake(delivery) {
    const text = delivery.body.toString('utf8').trim();
    const json = parseJson(delivery.body);
    if (text === PING || text === JSON.stringify(PING) || (isRecord(json) && json.text === PING))
      return { reason: 'HiBob ping' };
    return undefined;
  },
  verify(delivery, secrets) {
    const header = delivery.headers['bob-signature'];
    if (!header) return { ok: false, reason: 'missing Bob-Signature' };
    const signs = anyKeySigns(secrets, [Buffer.from(header, 'base64')], (key) =>
      hmac('sha512', key, delivery.body),
    );
    return signs ? { ok: true } : { ok: false, reason: 'no secret of the connection makes this signature' };
  },
  read(delivery) {
    const body = parseJson(delivery.body);
    if (!isRecord(body) || typeof body.type !== 'string') return ignored('not a HiBob event');
    return thin(body.type, isRecord(body.data) ? textOf(body.data.employeeId) : undefined);
  },
};
