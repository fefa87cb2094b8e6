import { extractText } from 'unpdf';
import { describe, expect, test } from 'vitest';
import { call, newTenant, testApp, testDb, testRecognition, uniqueEmail } from '../support/app.ts';
import { participantToken } from '../support/participants.ts';

async function pdfText(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const { text } = await extractText(new Uint8Array(bytes), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

async function setup(options: Parameters<typeof testRecognition>[1] & { now?: () => Date } = {}) {
  const recognition = testRecognition(testDb(), options);
  const app = testApp({ recognition, ...(options.now ? { now: options.now } : {}) });
  const tenant = await newTenant(app, 'Acme Robotics');
  const { key } = tenant;
  const person = await call(app, 'POST', '/v1/people', {
    key,
    body: { name: 'Dana Reyes', email: uniqueEmail('dana') },
  });
  const colleague = await call(app, 'POST', '/v1/people', {
    key,
    body: { name: 'Sam Okafor', email: uniqueEmail('sam') },
  });
  const program = await call(app, 'POST', '/v1/programs', {
    key,
    body: { name: 'Spring Mentoring', format: 'one_to_one' },
  });
  const awardType = await call(app, 'POST', '/v1/award-types', {
    key,
    body: { name: 'Mentor of the Quarter', criteria: 'Helped a mentee reach a goal', requiresApproval: true },
  });
  expect(awardType.status).toBe(201);
  return {
    app,
    recognition,
    tenant,
    key,
    personId: person.json.id as string,
    colleagueId: colleague.json.id as string,
    programId: program.json.id as string,
    awardTypeId: awardType.json.id as string,
  };
}

describe('nominations and the recognition workflow', () => {
  test('a nomination waits for approval, is approved, and ends with a certificate naming the person and the award', async () => {
    const { app, recognition, tenant, key, personId, colleagueId, programId, awardTypeId } = await setup();
    const sam = await participantToken(app, tenant, colleagueId);

    const nominated = await call(app, 'POST', '/v1/nominations', {
      key: sam,
      body: { personId, awardTypeId, programId, reason: 'Ran every meeting with an agenda' },
    });
    expect(nominated.status).toBe(201);
    expect(nominated.json).toMatchObject({
      status: 'pending',
      nominatedBy: { kind: 'participant', personId: colleagueId },
    });
    await recognition.runner.idle();
    // The first execution ended waiting for the decision: nothing awarded yet.
    expect((await call(app, 'GET', `/v1/people/${personId}/awards`, { key })).json.items).toEqual([]);

    const approved = await call(app, 'POST', `/v1/nominations/${nominated.json.id}/approve`, {
      key,
      body: { note: 'Well deserved' },
    });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', decisionNote: 'Well deserved' });
    await recognition.runner.idle();

    const awards = await call(app, 'GET', `/v1/people/${personId}/awards`, { key });
    expect(awards.json.items).toHaveLength(1);
    const awarded = awards.json.items[0];
    expect(awarded).toMatchObject({
      id: nominated.json.awardId,
      status: 'awarded',
      awardTypeId,
      programId,
      source: { kind: 'nomination', nominationId: nominated.json.id },
    });
    expect(awarded.certificate.bytes).toBeGreaterThan(0);
    expect((await call(app, 'GET', `/v1/programs/${programId}/awards`, { key })).json.items).toHaveLength(1);

    const certificate = await app.request(`/v1/awards/${awarded.id}/certificate`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(certificate.status).toBe(200);
    expect(certificate.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(await certificate.arrayBuffer());
    expect(text).toContain('Dana Reyes');
    expect(text).toContain('Mentor of the Quarter');
    expect(text).toContain('Spring Mentoring');
    expect(text).toContain('Acme Robotics');

    // The person reads their own award; the nominator cannot read it.
    const dana = await participantToken(app, tenant, personId);
    expect((await call(app, 'GET', '/v1/me/awards', { key: dana })).json.items).toHaveLength(1);
    expect((await call(app, 'GET', `/v1/awards/${awarded.id}/certificate`, { key: sam })).status).toBe(404);

    // The announcement carries a signed link that works without credentials.
    const events = await call(app, 'GET', '/v1/events?type=recognition.awarded', { key });
    expect(events.json.items).toHaveLength(1);
    const data = events.json.items[0].data;
    expect(data).toMatchObject({
      awardId: awarded.id,
      personName: 'Dana Reyes',
      awardName: 'Mentor of the Quarter',
    });
    const path = new URL(data.certificateUrl).pathname;
    const byLink = await app.request(path);
    expect(byLink.status).toBe(200);
    expect(await pdfText(await byLink.arrayBuffer())).toContain('Dana Reyes');
    // The last base64url character may carry padding bits, so the forgery changes the one before it.
    const forged = path.replace(/.(.)$/, (_, last) => `${path.at(-2) === 'A' ? 'B' : 'A'}${last}`);
    expect((await app.request(forged)).status).toBe(404);
    const nominationEvents = await call(app, 'GET', '/v1/events?type=nomination.*', { key });
    expect(nominationEvents.json.items.map((e: { type: string }) => e.type)).toEqual([
      'nomination.created',
      'nomination.approved',
    ]);
  });

  test('a certificate link stops working once it expires', async () => {
    let now = new Date('2026-03-01T10:00:00Z');
    const { app, recognition, key, personId, awardTypeId } = await setup({ now: () => now });
    const nominated = await call(app, 'POST', '/v1/nominations', {
      key,
      body: { personId, awardTypeId, reason: 'Great mentor' },
    });
    await call(app, 'POST', `/v1/nominations/${nominated.json.id}/approve`, { key, body: {} });
    await recognition.runner.idle();
    const events = await call(app, 'GET', '/v1/events?type=recognition.awarded', { key });
    const { certificateUrl, certificateUrlExpiresAt } = events.json.items[0].data;
    expect(certificateUrlExpiresAt).toBe('2026-03-31T10:00:00.000Z');
    const path = new URL(certificateUrl).pathname;
    expect((await app.request(path)).status).toBe(200);
    now = new Date('2026-03-31T10:00:01Z');
    expect((await app.request(path)).status).toBe(404);
  });

  test('a rejected nomination awards nothing', async () => {
    const { app, recognition, key, personId, awardTypeId } = await setup();
    const nominated = await call(app, 'POST', '/v1/nominations', {
      key,
      body: { personId, awardTypeId, reason: 'Nice person' },
    });
    await recognition.runner.idle();
    const rejected = await call(app, 'POST', `/v1/nominations/${nominated.json.id}/reject`, {
      key,
      body: { note: 'Not this quarter' },
    });
    expect(rejected.json).toMatchObject({ status: 'rejected', decisionNote: 'Not this quarter' });
    await recognition.runner.idle();
    expect((await call(app, 'GET', `/v1/people/${personId}/awards`, { key })).json.items).toEqual([]);
    expect((await call(app, 'GET', `/v1/awards/${nominated.json.awardId}`, { key })).status).toBe(404);
    expect((await call(app, 'GET', '/v1/events?type=recognition.awarded', { key })).json.items).toEqual([]);
    // Decided once: approving it now is a conflict.
    expect(
      (await call(app, 'POST', `/v1/nominations/${nominated.json.id}/approve`, { key, body: {} })).status,
    ).toBe(409);
  });

  test('a failing certificate step is retried, then the failure is recorded on the award', async () => {
    let writes = 0;
    const { app, recognition, key, personId, awardTypeId } = await setup({
      putBytes: async () => {
        writes++;
        throw new Error('certificate storage unavailable');
      },
    });
    const nominated = await call(app, 'POST', '/v1/nominations', {
      key,
      body: { personId, awardTypeId, reason: 'Great mentor' },
    });
    // The nomination's own execution ends waiting for the decision first; one still running when
    // the approval lands would see it and certify beside the decision's execution, doubling the count.
    await recognition.runner.idle();
    await call(app, 'POST', `/v1/nominations/${nominated.json.id}/approve`, { key, body: {} });
    await recognition.runner.idle();
    // The first attempt and three retries.
    expect(writes).toBe(4);
    const award = await call(app, 'GET', `/v1/awards/${nominated.json.awardId}`, { key });
    expect(award.json).toMatchObject({
      status: 'failed',
      failure: { step: 'certify', error: 'Error', cause: 'certificate storage unavailable' },
    });
    expect(award.json.certificate).toBeUndefined();
    expect((await call(app, 'GET', '/v1/events?type=recognition.awarded', { key })).json.items).toEqual([]);
  });

  test('an award type without approval awards at once; a participant cannot nominate themselves', async () => {
    const { app, recognition, tenant, key, personId } = await setup();
    const type = await call(app, 'POST', '/v1/award-types', {
      key,
      body: { name: 'Thank you', criteria: 'Any help', requiresApproval: false, certificate: false },
    });
    const nominated = await call(app, 'POST', '/v1/nominations', {
      key,
      body: { personId, awardTypeId: type.json.id, reason: 'Helped me' },
    });
    expect(nominated.json.status).toBe('approved');
    await recognition.runner.idle();
    const award = await call(app, 'GET', `/v1/awards/${nominated.json.awardId}`, { key });
    expect(award.json).toMatchObject({ status: 'awarded' });
    expect(award.json.certificate).toBeUndefined();
    const events = await call(app, 'GET', '/v1/events?type=recognition.awarded', { key });
    expect(events.json.items[0].data.certificateUrl).toBeUndefined();

    const self = await participantToken(app, tenant, personId);
    const refused = await call(app, 'POST', '/v1/nominations', {
      key: self,
      body: { personId, awardTypeId: type.json.id, reason: 'Me' },
    });
    expect(refused.status).toBe(422);
  });
});

describe('award types', () => {
  test('the generated badge is an SVG with the name escaped', async () => {
    const { app, key } = await setup();
    const type = await call(app, 'POST', '/v1/award-types', {
      key,
      body: {
        name: 'Best <script>alert(1)</script> & "Co"',
        criteria: 'x',
        badge: { kind: 'generated', background: '#112233', foreground: '#ffffff' },
      },
    });
    const badge = await app.request(`/v1/award-types/${type.json.id}/badge`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(badge.status).toBe(200);
    expect(badge.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await badge.text();
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('Best &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(svg).toContain('fill="#112233"');

    const image = await call(app, 'POST', '/v1/award-types', {
      key,
      body: { name: 'Hosted', criteria: 'x', badge: { kind: 'image', url: 'https://cdn.example.com/b.png' } },
    });
    const redirect = await app.request(`/v1/award-types/${image.json.id}/badge`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://cdn.example.com/b.png');
    const badColour = await call(app, 'POST', '/v1/award-types', {
      key,
      body: { name: 'X', criteria: 'x', badge: { kind: 'generated', background: 'red"/><script>' } },
    });
    expect(badColour.status).toBe(400);
    expect(badColour.json.errors[0].field).toBe('/badge/background');
  });
});
