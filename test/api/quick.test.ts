import { expect, test } from 'vitest';
import { call, newTenant, testApp, uniqueEmail } from '../support/app.ts';

test('walkthrough', async () => {
  const app = testApp();
  const { key } = await newTenant(app);
  const p = await call(app, 'POST', '/v1/people', {
    key,
    body: {
      name: 'Dana',
      email: uniqueEmail(),
      department: 'Eng',
      skillsOffered: [{ name: 'negotiation', level: 4 }],
    },
  });
  console.log(p.status, p.json);
  const list = await call(app, 'GET', '/v1/people?skill=Negotiation', { key });
  console.log(list.status, list.json);
  const bad = await call(app, 'POST', '/v1/people', { key, body: { name: '', email: 'x', foo: 1 } });
  console.log(bad.status, JSON.stringify(bad.json));
  expect(p.status).toBe(201);
});
