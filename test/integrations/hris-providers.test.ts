import { createHmac } from 'node:crypto';
import { hrisProviderModules, type InboundDelivery } from '@tandem/integrations';
import { Webhook } from 'standardwebhooks';
import { describe, expect, test } from 'vitest';
import { sign, TEST_KEYS } from '../support/hris.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const STANDARD_KEY = `whsec_${Buffer.from('standard-test-key-0123456789abcdef').toString('base64')}`;

const delivery = (body: string, headers: Record<string, string>): InboundDelivery => ({
  body: Buffer.from(body),
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
});

const secret = (value: string) => [
  { id: 'hsec_0000000000000000', preview: 'x…', createdAt: NOW.toISOString(), value },
];

const flipByte = (body: string) => {
  const bytes = Buffer.from(body);
  bytes[5] = bytes[5]! ^ 1;
  return bytes.toString('latin1');
};

/** The same JSON, spaced differently: what a receiver that parses and re-serializes would verify. */
const reserialized = (body: string) => JSON.stringify(JSON.parse(body), null, 1);

const employee = JSON.stringify({
  type: 'employee.updated',
  timestamp: '2026-03-02T09:59:00Z',
  data: { externalId: 'E-1', name: 'Ana Lima', email: 'ana@example.com', department: 'Sales' },
});

interface SignedCase {
  provider: keyof typeof hrisProviderModules;
  key: string;
  body: string;
  headers: (body: string, key: string, at: Date) => Record<string, string>;
  /** Where the scheme signs a timestamp. */
  timed: boolean;
}

const cases: SignedCase[] = [
  {
    provider: 'standard',
    key: STANDARD_KEY,
    body: employee,
    headers: (b, k, at) => sign.standard(b, k, at),
    timed: true,
  },
  {
    provider: 'finch',
    key: TEST_KEYS.finch,
    body: '{"event_type":"employment.updated","data":{"individual_id":"i-1"}}',
    headers: (b, k, at) => sign.finch(b, k, at),
    timed: true,
  },
  {
    provider: 'bamboohr',
    key: TEST_KEYS.bamboohr,
    body: '{"employees":[{"action":"Updated","changedFields":["Department"],"fields":{"Department":"Sales"},"id":"12345","timestamp":"2026-03-02T09:58:00+0000"}]}',
    headers: (b, k, at) => sign.bamboohr(b, k, String(Math.floor(at.getTime() / 1000))),
    timed: true,
  },
  {
    provider: 'hibob',
    key: TEST_KEYS.hibob,
    body: '{"companyId":636192,"type":"employee.updated","triggeredAt":"2026-03-02T09:00:00.000001","version":"v2","data":{"employeeId":"3332883854254932743","fieldIds":["work.department"]}}',
    headers: (b, k) => sign.hibob(b, k),
    timed: false,
  },
  {
    provider: 'gusto',
    key: TEST_KEYS.gusto,
    body: '{"uuid":"03ffbf0c-48a9-4f1c-932a-546413a26ad1","event_type":"employee.terminated_effective","resource_type":"Company","resource_uuid":"c-1","entity_type":"Employee","entity_uuid":"bcfc9744","timestamp":1772445600}',
    headers: (b, k) => sign.gusto(b, k),
    timed: false,
  },
  {
    provider: 'merge',
    key: TEST_KEYS.merge,
    body: '{"hook":{"id":"h-1","event":"Employee.changed","target":"https://x"},"linked_account":{"id":"la-1"},"data":{"id":"m-1","modified_at":"2026-03-02T09:00:00Z","work_email":"m@example.com"}}',
    headers: (b, k) => sign.merge(b, k),
    timed: false,
  },
];

describe.each(cases)('$provider signatures', ({ provider, key, body, headers, timed }) => {
  const module = hrisProviderModules[provider];
  const verify = (raw: string, h: Record<string, string>, keyValue = key, now = NOW) =>
    module.verify(delivery(raw, h), secret(keyValue), now).ok;

  test('a delivery signed with the connection key over the exact bytes verifies', () => {
    expect(verify(body, headers(body, key, NOW))).toBe(true);
  });

  test('another key does not verify', () => {
    const wrong =
      provider === 'standard' || provider === 'finch'
        ? Buffer.from('another-key-0123456789').toString('base64')
        : 'another-key-0123456789';
    expect(verify(body, headers(body, wrong, NOW))).toBe(false);
  });

  test('a flipped byte of the body does not verify', () => {
    expect(verify(flipByte(body), headers(body, key, NOW))).toBe(false);
  });

  test('the same JSON re-serialized does not verify: the bytes sent are what is signed', () => {
    expect(verify(reserialized(body), headers(body, key, NOW))).toBe(false);
  });

  test('a delivery without the signature header does not verify', () => {
    expect(verify(body, {})).toBe(false);
  });

  test('a key among several (a rotation) verifies', () => {
    const secrets = [...secret('old-key-0123456789'), ...secret(key)];
    expect(module.verify(delivery(body, headers(body, key, NOW)), secrets, NOW).ok).toBe(true);
  });

  test.runIf(timed)(
    'a signed timestamp more than 5 minutes away is refused either way, within it accepted',
    () => {
      for (const offset of [301, -301])
        expect(verify(body, headers(body, key, new Date(NOW.getTime() + offset * 1000)))).toBe(false);
      for (const offset of [299, -299])
        expect(verify(body, headers(body, key, new Date(NOW.getTime() + offset * 1000)))).toBe(true);
    },
  );
});

describe('provider specifics', () => {
  test('standard verifies what the standardwebhooks library signs, including a multi-signature header', () => {
    const signed = new Webhook(STANDARD_KEY).sign('msg_1', NOW, employee);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(NOW.getTime() / 1000)),
      'webhook-signature': `v1,${Buffer.from('bad').toString('base64')} ${signed}`,
    };
    expect(
      hrisProviderModules.standard.verify(delivery(employee, headers), secret(STANDARD_KEY), NOW).ok,
    ).toBe(true);
    // A version other than v1 is not read.
    const v2 = { ...headers, 'webhook-signature': signed.replace(/^v1,/, 'v2,') };
    expect(hrisProviderModules.standard.verify(delivery(employee, v2), secret(STANDARD_KEY), NOW).ok).toBe(
      false,
    );
  });

  test('BambooHR signs body + timestamp, and the timestamp may be ISO-8601', () => {
    const body =
      '{"type":"employee.updated","timestamp":"2026-03-02T09:58:00+0000","data":{"companyId":"1","employeeId":"67890","changedFields":["department"]}}';
    const iso = '2026-03-02T09:58:30Z';
    const headers = sign.bamboohr(body, TEST_KEYS.bamboohr, iso);
    expect(
      hrisProviderModules.bamboohr.verify(delivery(body, headers), secret(TEST_KEYS.bamboohr), NOW).ok,
    ).toBe(true);
    // The same signature with the timestamp left out of the message does not verify.
    const bodyOnly = createHexHmac(TEST_KEYS.bamboohr, body);
    const wrongOrder = { ...headers, 'x-bamboohr-signature': bodyOnly };
    expect(
      hrisProviderModules.bamboohr.verify(delivery(body, wrongOrder), secret(TEST_KEYS.bamboohr), NOW).ok,
    ).toBe(false);
    // Event-based webhooks are thin: they name the employee, whom the worker fetches.
    expect(hrisProviderModules.bamboohr.read(delivery(body, headers), {})).toEqual({
      kind: 'fetch',
      eventType: 'employee.updated',
      externalIds: ['67890'],
    });
  });

  test('BambooHR field-based payloads map English labels, value objects and overrides', () => {
    const body = JSON.stringify({
      employees: [
        {
          action: 'Updated',
          id: '7',
          timestamp: '2026-03-02T09:58:00+0000',
          changedFields: ['Division'],
          fields: {
            Division: 'EMEA',
            'Job Title': 'AE',
            'Employment Status': 'Terminated',
            'Termination Date': '2026-03-01',
          },
        },
        {
          id: 5,
          timestamp: '2026-03-02T09:57:00Z',
          fields: { jobTitle: { value: 'Senior HR Administrator' } },
          changedFields: ['jobTitle'],
        },
      ],
      fields: { jobTitle: 'Job Title' },
    });
    const reading = hrisProviderModules.bamboohr.read(delivery(body, {}), { department: 'Division' });
    expect(reading).toEqual({
      kind: 'changes',
      eventType: 'employee_with_fields',
      changes: [
        {
          snapshot: {
            externalId: '7',
            department: 'EMEA',
            title: 'AE',
            employment: 'terminated',
            terminationDate: '2026-03-01',
          },
          sourceUpdatedAt: '2026-03-02T09:58:00.000Z',
        },
        {
          snapshot: { externalId: '5', title: 'Senior HR Administrator' },
          sourceUpdatedAt: '2026-03-02T09:57:00.000Z',
        },
      ],
    });
  });

  test('Merge signatures compare with or without = padding', () => {
    const body =
      '{"hook":{"event":"Employee.changed"},"data":{"id":"m-1","modified_at":"2026-03-02T09:00:00Z"}}';
    for (const padded of [false, true])
      expect(
        hrisProviderModules.merge.verify(
          delivery(body, sign.merge(body, TEST_KEYS.merge, padded)),
          secret(TEST_KEYS.merge),
          NOW,
        ).ok,
      ).toBe(true);
  });

  test('HiBob ping (plain and JSON) and Gusto verification are handshakes, other bodies are not', () => {
    expect(hrisProviderModules.hibob.handshake?.(delivery('Ping test', {}))).toEqual({
      reason: 'HiBob ping',
    });
    expect(hrisProviderModules.hibob.handshake?.(delivery('{"text":"Ping test"}', {}))).toEqual({
      reason: 'HiBob ping',
    });
    expect(
      hrisProviderModules.hibob.handshake?.(delivery('{"type":"employee.updated"}', {})),
    ).toBeUndefined();
    expect(hrisProviderModules.gusto.handshake?.(delivery('{"verification_token":"tok-1"}', {}))).toEqual({
      reason: 'Gusto verification token',
      signingKey: 'tok-1',
    });
    expect(
      hrisProviderModules.gusto.handshake?.(delivery('{"uuid":"u","verification_token":"x"}', {})),
    ).toBeUndefined();
  });

  test('Personio: the static token, with or without Bearer, compared with its hash', async () => {
    const { hashSecret } = await import('@tandem/core');
    const stored = [
      {
        id: 'hsec_0000000000000000',
        preview: 't…',
        createdAt: NOW.toISOString(),
        hash: hashSecret('tdm_hris_token'),
      },
    ];
    const body = '{"event_name":"employment.terminated"}';
    for (const authorization of ['Bearer tdm_hris_token', 'tdm_hris_token'])
      expect(hrisProviderModules.personio.verify(delivery(body, { authorization }), stored, NOW).ok).toBe(
        true,
      );
    for (const authorization of ['Bearer tdm_hris_other', ''])
      expect(hrisProviderModules.personio.verify(delivery(body, { authorization }), stored, NOW).ok).toBe(
        false,
      );
  });

  test('thin events name whom to fetch: HiBob, Finch, Gusto, Personio, Rippling (form-encoded), Workday pokes', () => {
    const reads = {
      hibob:
        '{"companyId":636192,"type":"employee.updated","triggeredAt":"2025-01-08T13:06:26.915906","version":"v2","data":{"employeeId":"3332883854254932743","fieldIds":["work.title"]}}',
      finch:
        '{"connection_id":"c-1","event_type":"employment.updated","data":{"individual_id":"12345678-0001"}}',
      gusto:
        '{"uuid":"u-1","event_type":"employee.updated","entity_type":"Employee","entity_uuid":"bcfc9744-1","timestamp":1671058841}',
      personio:
        '{"company_id":"1","event_name":"person.updated","occurred_at":"2026-01-31T18:42:00Z","payload":{"person_id":"1234567"}}',
      rippling:
        'event_name=employee.updated&company_id=c1&company_primary_email=hr%40example.com&employee_id=5f1a',
      workday: '{"workerId":"21001","event":"Terminate"}',
    } as const;
    const named = Object.entries(reads).map(([provider, body]) => {
      const reading = hrisProviderModules[provider as keyof typeof reads].read(delivery(body, {}), {});
      return [provider, reading.kind, reading.kind === 'fetch' ? reading.externalIds : undefined];
    });
    expect(named).toEqual([
      ['hibob', 'fetch', ['3332883854254932743']],
      ['finch', 'fetch', ['12345678-0001']],
      ['gusto', 'fetch', ['bcfc9744-1']],
      ['personio', 'fetch', ['1234567']],
      ['rippling', 'fetch', ['5f1a']],
      ['workday', 'fetch', ['21001']],
    ]);
    // Finch's connection and job events name nobody to fetch.
    expect(
      hrisProviderModules.finch.read(
        delivery('{"event_type":"account.updated","data":{"status":"connected"}}', {}),
        {},
      ),
    ).toMatchObject({ kind: 'ignored' });
  });

  test('Rippling and Workday: the issued token as Bearer or as the Basic password', async () => {
    const { hashSecret } = await import('@tandem/core');
    const stored = [
      { id: 'hsec_1', preview: 't…', createdAt: NOW.toISOString(), hash: hashSecret('tdm_hris_poke') },
    ];
    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    for (const provider of ['rippling', 'workday'] as const) {
      for (const authorization of ['Bearer tdm_hris_poke', basic('wd-isu', 'tdm_hris_poke')])
        expect(hrisProviderModules[provider].verify(delivery('{}', { authorization }), stored, NOW).ok).toBe(
          true,
        );
      for (const authorization of ['Bearer tdm_hris_other', basic('tdm_hris_poke', 'x'), ''])
        expect(hrisProviderModules[provider].verify(delivery('{}', { authorization }), stored, NOW).ok).toBe(
          false,
        );
    }
  });
});

function createHexHmac(key: string, body: string) {
  return createHmac('sha256', key).update(body).digest('hex');
}
