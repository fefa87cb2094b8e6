import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@tandem/store';
import { describe, expect, test } from 'vitest';
import { call, testDb, uniqueEmail } from '../support/app.ts';
import { connected, hrisRuntime, sign, TEST_KEYS } from '../support/hris.ts';
import { runScheduledJobAt } from '../support/schedule.ts';

const { app, applied } = hrisRuntime();

const standardEvent = (at: string, data: Record<string, unknown>, type = 'employee.updated') =>
  JSON.stringify({ type, timestamp: at, data });

describe('connections', () => {
  test('a standard connection shows its generated secret once, and its webhook URL', async () => {
    const c = await connected(app, 'standard', { name: 'Our HR feed', fieldMapping: {} });
    expect(c.secret).toMatch(/^whsec_/);
    const read = await call(app, 'GET', `/v1/hris-connections/${c.id}`, { key: c.key });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ provider: 'standard', status: 'active', name: 'Our HR feed' });
    expect(read.json.webhookUrl).toMatch(new RegExp(`/v1/hris/${c.id}/webhooks$`));
    expect(JSON.stringify(read.json)).not.toContain(c.secret);
    expect(read.json.secrets).toHaveLength(1);
    const list = await call(app, 'GET', '/v1/hris-connections', { key: c.key });
    expect(list.json.items.map((i: any) => i.id)).toEqual([c.id]);
  });

  test('providers that issue their own key need it; Tandem-issued ones refuse one', async () => {
    const { key } = await connected(app, 'standard');
    const missing = await call(app, 'POST', '/v1/hris-connections', { key, body: { provider: 'bamboohr' } });
    expect(missing.status).toBe(422);
    expect(missing.json.errors[0].field).toBe('/secret');
    const pasted = await call(app, 'POST', '/v1/hris-connections', {
      key,
      body: { provider: 'personio', secret: 'my-own-token-123' },
    });
    expect(pasted.status).toBe(422);
    const bamboo = await call(app, 'POST', '/v1/hris-connections', {
      key,
      body: { provider: 'bamboohr', secret: TEST_KEYS.bamboohr },
    });
    expect(bamboo.status).toBe(201);
    // A pasted key is not echoed back.
    expect(bamboo.json.secret).toBeNull();
  });

  test('rotation: a second secret verifies alongside the first until the first is removed', async () => {
    const c = await connected(app, 'standard');
    const added = await call(app, 'POST', `/v1/hris-connections/${c.id}/secrets`, { key: c.key, body: {} });
    expect(added.status).toBe(200);
    const next = added.json.secret as string;
    const body = standardEvent('2026-01-01T00:00:00Z', { externalId: 'R-1' }, 'employee.deleted');
    expect((await c.post(body, sign.standard(body, c.secret))).status).toBe(200);
    expect((await c.post(body, sign.standard(body, next))).status).toBe(200);
    const first = added.json.secrets[0].id;
    const removed = await call(app, 'DELETE', `/v1/hris-connections/${c.id}/secrets/${first}`, {
      key: c.key,
    });
    expect(removed.status).toBe(204);
    expect((await c.post(body, sign.standard(body, c.secret))).status).toBe(401);
    expect((await c.post(body, sign.standard(body, next))).status).toBe(200);
  });

  test('a paused connection answers 503 (the provider retries); a deleted one 404', async () => {
    const c = await connected(app, 'standard');
    const body = standardEvent('2026-01-01T00:00:00Z', { externalId: 'P-1' });
    const paused = await call(app, 'PATCH', `/v1/hris-connections/${c.id}`, {
      key: c.key,
      body: { status: 'paused' },
    });
    expect(paused.status).toBe(200);
    expect((await c.post(body, sign.standard(body, c.secret))).status).toBe(503);
    const deleted = await call(app, 'DELETE', `/v1/hris-connections/${c.id}`, { key: c.key });
    expect(deleted.status).toBe(204);
    expect((await c.post(body, sign.standard(body, c.secret))).status).toBe(404);
  });

  test('a change another process makes (pause, secrets, deletion) takes effect at the next delivery', async () => {
    const c = await connected(app, 'standard');
    const db = testDb();
    const Key = keys.hrisConnection(c.tenantId, c.id);
    const deliver = async (externalId: string) => {
      const body = standardEvent('2026-01-01T00:00:00Z', { externalId }, 'employee.created');
      return (await c.post(body, sign.standard(body, c.secret))).status;
    };
    const elsewhere = (UpdateExpression: string, values: Record<string, unknown>) =>
      db.doc.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key,
          UpdateExpression: `${UpdateExpression}, #version = #version + :one`,
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':one': 1 },
        }),
      );
    // This process has just read the connection for a delivery.
    expect(await deliver('X-1')).toBe(202);
    await elsewhere('SET #status = :paused', { ':paused': 'paused' });
    expect(await deliver('X-2')).toBe(503);
    await elsewhere('SET #status = :active', { ':active': 'active' });
    expect(await deliver('X-3')).toBe(202);
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key,
        UpdateExpression: 'SET #secrets = :none, #version = #version + :one',
        ExpressionAttributeNames: { '#secrets': '_secrets', '#version': 'version' },
        ExpressionAttributeValues: { ':none': [], ':one': 1 },
      }),
    );
    expect(await deliver('X-4')).toBe(401);
    const accepted = (await c.log()).filter((entry) => entry.outcome === 'accepted');
    expect(accepted.map((entry) => entry.externalId).sort()).toEqual(['X-1', 'X-3']);
    await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key }));
    expect(await deliver('X-5')).toBe(404);
  });
});

describe('ingest', () => {
  test('a signed standard delivery is acknowledged 202 without an API key, then applied: the person exists', async () => {
    const c = await connected(app, 'standard');
    const email = uniqueEmail('ana');
    const body = standardEvent(new Date().toISOString(), {
      externalId: 'E-100',
      name: 'Ana Lima',
      email,
      department: 'Sales',
      title: 'AE',
      location: 'Lisbon',
      hireDate: '2025-04-01',
    });
    const res = await c.post(body, sign.standard(body, c.secret));
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ outcome: 'accepted', changes: 1 });
    await applied();
    const person = await c.person(email);
    expect(person).toMatchObject({
      name: 'Ana Lima',
      department: 'Sales',
      title: 'AE',
      location: 'Lisbon',
      hireDate: '2025-04-01',
      status: 'active',
      externalIds: { standard: 'E-100' },
    });
    const log = await c.log();
    expect(log.map((e) => e.outcome)).toEqual(['applied', 'accepted']);
    expect(log[0]).toMatchObject({ externalId: 'E-100', personId: person.id, eventType: 'employee.updated' });
  });

  test('a redelivery is 200 duplicate and applied once; a bad signature is 401 and logged; an API key is no credential', async () => {
    const c = await connected(app, 'standard');
    const body = standardEvent(new Date().toISOString(), {
      externalId: 'E-2',
      name: 'Bo',
      email: uniqueEmail('bo'),
    });
    const headers = sign.standard(body, c.secret);
    expect((await c.post(body, headers)).status).toBe(202);
    const again = await c.post(body, headers);
    expect(again.status).toBe(200);
    expect(again.json.outcome).toBe('duplicate');
    const forged = await c.post(body.replace('Bo', 'Bob'), headers);
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    const withKey = await call(app, 'POST', `/v1/hris/${c.id}/webhooks`, { key: c.key, body });
    expect(withKey.status).toBe(401);
    const log = await c.log();
    expect(log.map((e) => e.outcome).sort()).toEqual(['accepted', 'duplicate', 'rejected', 'rejected']);
    expect(JSON.stringify(log)).not.toContain(c.secret);
  });

  test('unknown event types are acknowledged 200 and logged as ignored', async () => {
    const c = await connected(app, 'standard');
    const body = standardEvent(new Date().toISOString(), {}, 'payroll.run');
    const res = await c.post(body, sign.standard(body, c.secret));
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('ignored');
    expect((await c.log())[0]).toMatchObject({ outcome: 'ignored', eventType: 'payroll.run' });
  });

  test('an unknown connection id is 404, a malformed one 400', async () => {
    const body = standardEvent(new Date().toISOString(), {});
    const unknown = await call(app, 'POST', '/v1/hris/hrc_01jd5x3n7a8q9w0e1r2t3y4z5v/webhooks', { body });
    expect(unknown.status).toBe(404);
    const malformed = await call(app, 'POST', '/v1/hris/nope/webhooks', { body });
    expect(malformed.status).toBe(400);
  });
});

describe('ordering', () => {
  test('updated before created: the newer fields win, the older event fills in the rest', async () => {
    const c = await connected(app, 'standard');
    const email = uniqueEmail('cy');
    const updated = standardEvent('2026-02-01T10:00:00Z', { externalId: 'E-3', department: 'Finance' });
    const created = standardEvent(
      '2026-02-01T09:00:00Z',
      { externalId: 'E-3', name: 'Cy Tan', email, department: 'Sales' },
      'employee.created',
    );
    expect((await c.post(updated, sign.standard(updated, c.secret))).status).toBe(202);
    await applied();
    expect((await c.log())[0]).toMatchObject({ outcome: 'skipped' });
    expect((await c.post(created, sign.standard(created, c.secret))).status).toBe(202);
    await applied();
    expect(await c.person(email)).toMatchObject({ name: 'Cy Tan', department: 'Finance', status: 'active' });
  });

  test('a termination ends relationships (left_organization) and enrollments; a stale update after it changes nothing; a rehire reactivates', async () => {
    const c = await connected(app, 'standard');
    const leaverEmail = uniqueEmail('leaver');
    const partnerEmail = uniqueEmail('partner');
    for (const [id, email] of [
      ['L-1', leaverEmail],
      ['L-2', partnerEmail],
    ] as const) {
      const body = standardEvent('2026-02-01T09:00:00Z', { externalId: id, name: `Person ${id}`, email });
      await c.post(body, sign.standard(body, c.secret));
    }
    await applied();
    const leaver = (await c.person(leaverEmail)).id;
    const partner = (await c.person(partnerEmail)).id;
    const program = await call(app, 'POST', '/v1/programs', {
      key: c.key,
      body: { name: 'Pairs', format: 'peer_pairs' },
    });
    for (const personId of [leaver, partner])
      expect(
        (
          await call(app, 'POST', `/v1/programs/${program.json.id}/enrollments`, {
            key: c.key,
            body: { personId, role: 'peer' },
          })
        ).status,
      ).toBe(201);
    const pair = await call(app, 'POST', '/v1/relationships', {
      key: c.key,
      body: { programId: program.json.id, personIds: [leaver, partner] },
    });
    expect(pair.status).toBe(201);

    const terminated = standardEvent('2026-02-03T09:00:00Z', {
      externalId: 'L-1',
      employment: 'terminated',
      terminationDate: '2026-02-02',
    });
    const stale = standardEvent('2026-02-02T09:00:00Z', {
      externalId: 'L-1',
      employment: 'active',
      title: 'Lead',
    });
    await c.post(terminated, sign.standard(terminated, c.secret));
    await applied();
    await c.post(stale, sign.standard(stale, c.secret));
    await applied();

    const person = await c.person(leaverEmail);
    expect(person.status).toBe('left');
    expect(person.title).toBe('Lead');
    const relationship = await call(app, 'GET', `/v1/relationships/${pair.json.id}`, { key: c.key });
    expect(relationship.json).toMatchObject({ status: 'dissolved', endReason: 'left_organization' });
    const enrollments = await call(app, 'GET', `/v1/programs/${program.json.id}/enrollments`, { key: c.key });
    expect(enrollments.json.items.find((e: any) => e.personId === leaver).status).toBe('withdrawn');
    expect(enrollments.json.items.find((e: any) => e.personId === partner).status).not.toBe('withdrawn');

    const rehired = standardEvent('2026-03-01T09:00:00Z', { externalId: 'L-1', employment: 'active' });
    await c.post(rehired, sign.standard(rehired, c.secret));
    await applied();
    expect((await c.person(leaverEmail)).status).toBe('active');
  });

  test('a future-dated termination is stored; the person stays active until then', async () => {
    const c = await connected(app, 'standard');
    const email = uniqueEmail('future');
    const body = standardEvent(new Date().toISOString(), {
      externalId: 'F-1',
      name: 'Fay',
      email,
      employment: 'terminated',
      terminationDate: '2099-12-31',
    });
    await c.post(body, sign.standard(body, c.secret));
    await applied();
    expect((await c.person(email)).status).toBe('active');
    expect((await c.log())[0].reason).toContain('termination on 2099-12-31');

    await runScheduledJobAt(c.tenantId, new Date('2099-12-30T23:00:00Z'));
    expect((await c.person(email)).status).toBe('active');
    await runScheduledJobAt(c.tenantId, new Date('2099-12-31T00:00:01Z'));
    expect((await c.person(email)).status).toBe('left');
    expect((await c.log())[0]).toMatchObject({ outcome: 'applied', eventType: 'hris.effective_change' });
    // A second pass of the job finds nothing left to do.
    expect((await runScheduledJobAt(c.tenantId, new Date('2100-01-02T00:00:00Z'))).handled).toBe(0);
  });

  test('a future-dated termination the source withdraws before its date does not apply', async () => {
    const c = await connected(app, 'standard');
    const email = uniqueEmail('stays');
    const leaving = standardEvent('2026-02-01T09:00:00Z', {
      externalId: 'S-1',
      name: 'Sol',
      email,
      employment: 'terminated',
      terminationDate: '2099-06-30',
    });
    const staying = standardEvent('2026-02-10T09:00:00Z', { externalId: 'S-1', employment: 'active' });
    await c.post(leaving, sign.standard(leaving, c.secret));
    await applied();
    await c.post(staying, sign.standard(staying, c.secret));
    await applied();
    await runScheduledJobAt(c.tenantId, new Date('2099-07-01T00:00:00Z'));
    expect((await c.person(email)).status).toBe('active');
  });

  test('a manager named by the source id becomes the managerId once they exist', async () => {
    const c = await connected(app, 'standard');
    const bossEmail = uniqueEmail('boss');
    const email = uniqueEmail('report');
    const boss = standardEvent('2026-02-01T09:00:00Z', { externalId: 'B-1', name: 'Boss', email: bossEmail });
    const report = standardEvent('2026-02-01T09:00:00Z', {
      externalId: 'R-9',
      name: 'Report',
      email,
      managerExternalId: 'B-1',
    });
    await c.post(boss, sign.standard(boss, c.secret));
    await applied();
    await c.post(report, sign.standard(report, c.secret));
    await applied();
    expect((await c.person(email)).managerId).toBe((await c.person(bossEmail)).id);
  });
});

describe('providers end to end', () => {
  test('BambooHR field-based: a department override maps Division; termination applies', async () => {
    const c = await connected(app, 'bamboohr', {
      secret: TEST_KEYS.bamboohr,
      fieldMapping: { department: 'Division' },
    });
    const email = uniqueEmail('bamboo');
    const body = JSON.stringify({
      employees: [
        {
          action: 'Updated',
          id: '12345',
          timestamp: '2026-01-31T18:42:00+0000',
          changedFields: ['Division'],
          fields: {
            'First Name': 'Kim',
            'Last Name': 'Park',
            'Work Email': email,
            Division: 'EMEA',
            'Job Title': 'AE',
          },
        },
      ],
    });
    expect((await c.post(body, sign.bamboohr(body))).status).toBe(202);
    await applied();
    expect(await c.person(email)).toMatchObject({ name: 'Kim Park', department: 'EMEA', title: 'AE' });
    const stale = sign.bamboohr(body, TEST_KEYS.bamboohr, String(Math.floor(Date.now() / 1000) - 301));
    expect((await c.post(body, stale)).status).toBe(401);
  });

  test('Merge: Employee.changed applies the whole employee; Employee.removed is a departure', async () => {
    const c = await connected(app, 'merge', { secret: TEST_KEYS.merge });
    const email = uniqueEmail('merge');
    const employee = {
      id: 'm-77',
      first_name: 'Lu',
      last_name: 'Wei',
      work_email: email,
      team: { name: 'Platform' },
      employments: [{ job_title: 'SRE' }],
      work_location: { name: 'Berlin' },
      employment_status: 'ACTIVE',
      modified_at: '2026-02-01T10:00:00Z',
    };
    const changed = JSON.stringify({
      hook: { id: 'h', event: 'Employee.changed' },
      linked_account: {},
      data: employee,
    });
    expect((await c.post(changed, sign.merge(changed))).status).toBe(202);
    await applied();
    expect(await c.person(email)).toMatchObject({
      name: 'Lu Wei',
      department: 'Platform',
      title: 'SRE',
      location: 'Berlin',
    });
    const removed = JSON.stringify({
      hook: { id: 'h', event: 'Employee.removed' },
      data: { ...employee, modified_at: '2026-02-05T10:00:00Z' },
    });
    expect((await c.post(removed, sign.merge(removed, TEST_KEYS.merge, true))).status).toBe(202);
    await applied();
    expect((await c.person(email)).status).toBe('left');
  });

  test('Gusto: the verification token is adopted as the key; terminated_effective applies; a duplicate uuid is 200', async () => {
    const c = await connected(app, 'gusto');
    const email = uniqueEmail('gusto');
    const hello = await c.post(JSON.stringify({ verification_token: TEST_KEYS.gusto }), {});
    expect(hello.status).toBe(200);
    expect(hello.json.outcome).toBe('handshake');
    // A later token does not replace the adopted key.
    await c.post(JSON.stringify({ verification_token: 'attacker-token-000' }), {});
    const read = await call(app, 'GET', `/v1/hris-connections/${c.id}`, { key: c.key });
    expect(read.json.secrets).toHaveLength(1);
    // Gusto's events name the employee only: link one created through the API.
    const made = await call(app, 'POST', '/v1/people', {
      key: c.key,
      body: { name: 'Gus', email, externalIds: { gusto: 'bcfc9744' } },
    });
    expect(made.status).toBe(201);
    const body = JSON.stringify({
      uuid: '03ffbf0c-48a9-4f1c-932a-546413a26ad1',
      event_type: 'employee.terminated_effective',
      resource_type: 'Company',
      resource_uuid: 'c-1',
      entity_type: 'Employee',
      entity_uuid: 'bcfc9744',
      timestamp: 1771000000,
    });
    expect((await c.post(body, sign.gusto(body))).status).toBe(202);
    expect((await c.post(body, sign.gusto(body))).json.outcome).toBe('duplicate');
    expect((await c.post(body, sign.gusto(body, 'attacker-token-000'))).status).toBe(401);
    await applied();
    expect((await c.person(email)).status).toBe('left');
  });

  test('HiBob: the ping is 200 unsigned; signed thin events are acknowledged and logged as ignored', async () => {
    const c = await connected(app, 'hibob', { secret: TEST_KEYS.hibob });
    expect((await c.post('Ping test', { 'content-type': 'text/plain' })).status).toBe(200);
    const body =
      '{"companyId":636192,"type":"employee.updated","triggeredAt":"2026-03-02T09:00:00.000001","version":"v2","data":{"employeeId":"333","fieldIds":["work.title"]}}';
    const res = await c.post(body, sign.hibob(body));
    expect(res.status).toBe(200);
    expect(res.json.reason).toContain('thin notification');
    expect((await c.post(body, sign.hibob(body, 'wrong-secret-000'))).status).toBe(401);
    expect((await c.log()).map((e) => e.outcome)).toEqual(['rejected', 'ignored', 'handshake']);
  });

  test('Personio: its static token in Authorization; employment.terminated applies', async () => {
    const c = await connected(app, 'personio');
    expect(c.secret).toMatch(/^tdm_hris_/);
    const email = uniqueEmail('personio');
    await call(app, 'POST', '/v1/people', {
      key: c.key,
      body: { name: 'Per', email, externalIds: { personio: '991' } },
    });
    const body = JSON.stringify({
      company_id: '123456',
      event_name: 'employment.terminated',
      occurred_at: '2026-01-31T18:42:00Z',
      payload: { id: 'emp-1', person_id: '991' },
      meta: {},
    });
    expect((await c.post(body, { authorization: 'Bearer wrong-token-0000' })).status).toBe(401);
    expect((await c.post(body, { authorization: `Bearer ${c.secret}` })).status).toBe(202);
    await applied();
    expect((await c.person(email)).status).toBe('left');
  });

  test('Finch: a multi-signature header verifies; data events are thin and ignored', async () => {
    const c = await connected(app, 'finch', { secret: TEST_KEYS.finch });
    const body = '{"connection_id":"x","event_type":"employment.updated","data":{"individual_id":"i-1"}}';
    const headers = sign.finch(body);
    const res = await c.post(body, {
      ...headers,
      'finch-signature': `v1,AAAA ${headers['finch-signature']}`,
    });
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('ignored');
  });
});

describe('privacy', () => {
  test('an erased employee is exported with what the HR system said, and no employee record keeps their name or email', async () => {
    const c = await connected(app, 'standard');
    const email = uniqueEmail('greta');
    const body = standardEvent(new Date().toISOString(), {
      externalId: 'E-900',
      name: 'Greta Hallvarsdottir',
      email,
      department: 'Legal',
    });
    expect((await c.post(body, sign.standard(body, c.secret))).status).toBe(202);
    await applied();
    const person = await c.person(email);
    const exported = await call(app, 'GET', `/v1/people/${person.id}/export`, { key: c.key });
    const hris = exported.json.sections.find((s: { name: string }) => s.name === 'hrisRecords');
    expect(hris.items).toEqual([expect.objectContaining({ externalId: 'E-900', personId: person.id })]);
    expect(JSON.stringify(hris.items)).toContain('Greta Hallvarsdottir');

    const erased = await call(app, 'POST', `/v1/people/${person.id}/erasure`, { key: c.key, body: {} });
    expect(erased.status, erased.text).toBeLessThan(300);
    const db = testDb();
    const { Items = [] } = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `T#${c.tenantId}#HRIS#${c.id}` },
      }),
    );
    const employee = Items.filter((item) => item.entity === 'hrisEmployee');
    expect(employee).toHaveLength(1);
    expect(JSON.stringify(Items)).not.toContain('Greta');
    expect(JSON.stringify(Items)).not.toContain(email);
  });
});
