import {
  type HrisProviderModule,
  ignored,
  isRecord,
  parseJson,
  textOf,
  thin,
  verifyToken,
} from './common.ts';

/**
 * Workday has no webhooks of its own: Tandem polls it (reconciliation). A customer may add a
 * "poke" (an integration step of the Hire or Terminate business process) posting
 * `{"workerId": "21001", "event": "Hire"}` with the token Tandem issued, as Bearer or as the
 * Basic password; the worker is then fetched at once rather than at the next poll.
 */
export const workday: HrisProviderModule = {
  verify: (delivery, secrets) => verifyToken(delivery, secrets),
  pokes: true,
  read(delivery) {
    const body = parseJson(delivery.body);
    if (!isRecord(body)) return ignored('not a Workday poke (JSON with workerId)');
    const type = `workday.${textOf(body.event) ?? 'poke'}`;
    return thin(type, textOf(body.workerId ?? body.worker_id ?? body.Employee_ID));
  },
};
