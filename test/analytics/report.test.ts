import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalHttpServer, listen } from '@tandem/local';
import { launch } from 'puppeteer-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { heldMeeting, twoPairs } from '../participants/workspace.ts';
import { call, testApp } from '../support/app.ts';
import { reactionsRuntime } from '../support/reactions.ts';
import { runScheduledJobAt } from '../support/schedule.ts';
import { watchedDb } from '../support/watched-db.ts';

let runtime: Awaited<ReturnType<typeof reactionsRuntime>>;
let server: LocalHttpServer;
const profile = mkdtempSync(join(tmpdir(), 'tandem-chromium-'));

beforeAll(async () => {
  runtime = await reactionsRuntime();
  server = await listen(0);
  server.attach(runtime.app.fetch);
});
afterAll(async () => {
  await server.close();
  await runtime.stop();
  rmSync(profile, { recursive: true, force: true });
});

test('the program report renders its charts in a headless browser, with the figures of the analytics', {
  timeout: 180_000,
}, async () => {
  const { key, tenant, programId, ours, ada, ben } = await twoPairs(runtime.app);
  await heldMeeting(runtime.app, ada, ben, ours);
  await heldMeeting(runtime.app, ada, ben, ours);
  // The relationships' first health evaluations fall due a day after they started.
  await runScheduledJobAt(tenant.tenantId, new Date(Date.now() + 2 * 86_400_000), { db: runtime.db });
  await runtime.settle();
  const analytics = (await call(runtime.app, 'GET', `/v1/programs/${programId}/analytics`, { key })).json;
  expect(analytics.meetings.held).toBe(2);

  const browser = await launch({
    executablePath: '/usr/bin/chromium',
    userDataDir: profile,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--proxy-server=http://127.0.0.1:9',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${key}` });
    const response = await page.goto(`http://127.0.0.1:${server.port}/v1/programs/${programId}/report`, {
      waitUntil: 'load',
    });
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Peers: program report');
    type Chart = { width: number; marks: { label: string | null; value: number; drawn: number }[] };
    const charts: Record<string, Chart> = await page.$$eval('svg.chart', (svgs) =>
      Object.fromEntries(
        svgs.map((svg) => [
          svg.id,
          {
            width: svg.getBoundingClientRect().width,
            marks: [...svg.querySelectorAll('g.mark')].map((g) => ({
              label: g.getAttribute('data-label'),
              value: Number(g.getAttribute('data-value')),
              drawn: (g.querySelector('rect, circle') as any)?.getBBox().width ?? 0,
            })),
          },
        ]),
      ),
    );
    expect(Object.keys(charts).sort()).toEqual([
      'funnel',
      'health',
      'match-quality',
      'meetings',
      'relationships',
    ]);
    for (const chart of Object.values(charts)) expect(chart.width).toBeGreaterThan(100);
    const value = (chart: string, label: string) =>
      charts[chart]!.marks.find((m) => m.label === label)?.value;
    expect(value('funnel', 'Enrolled')).toBe(analytics.enrollment.enrolled);
    expect(value('funnel', 'Matched')).toBe(analytics.enrollment.matched);
    expect(value('relationships', 'active')).toBe(analytics.relationships.byStatus.active);
    expect(value('match-quality', 'Across departments')).toBe(analytics.matchQuality.crossDepartment);
    expect(value('match-quality', 'Made before snapshots')).toBe(analytics.matchQuality.unknown);
    const held = charts.meetings!.marks.reduce((sum, m) => sum + m.value, 0);
    expect(held).toBe(analytics.meetings.held);
    // Both relationships were evaluated; the bars are drawn, not just labelled.
    expect(charts.health!.marks.reduce((sum, m) => sum + m.value, 0)).toBe(2);
    expect(charts.funnel!.marks.find((m) => m.label === 'Enrolled')!.drawn).toBeGreaterThan(0);
  } finally {
    await browser.close();
  }
});

test('the report of another tenant’s program is a 404', async () => {
  const { programId } = await twoPairs(runtime.app);
  const { key } = await twoPairs(runtime.app);
  expect((await call(runtime.app, 'GET', `/v1/programs/${programId}/report`, { key })).status).toBe(404);
});

test("the report reads the program's meeting rows and its relationships' health in batches, never each relationship on its own", async () => {
  // The calls aimed at one relationship's partition.
  const perRelationship: string[] = [];
  const db = watchedDb((command) => {
    const name = command.constructor.name;
    if ((name === 'GetCommand' || name === 'QueryCommand') && JSON.stringify(command.input).includes('#REL#'))
      perRelationship.push(name);
  });
  const app = testApp({ db });
  const { key, programId, ours, ada, ben } = await twoPairs(app);
  await heldMeeting(app, ada, ben, ours);
  perRelationship.length = 0;
  const report = await call(app, 'GET', `/v1/programs/${programId}/report`, { key });
  expect(report.status).toBe(200);
  expect(perRelationship).toEqual([]);
});
