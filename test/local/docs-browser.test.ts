import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalHttpServer, listen } from '@tandem/local';
import { launch } from 'puppeteer-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { testApp } from '../support/app.ts';

let server: LocalHttpServer;
const profile = mkdtempSync(join(tmpdir(), 'tandem-chromium-'));

beforeAll(async () => {
  server = await listen(0);
  server.attach(testApp().fetch);
});
afterAll(async () => {
  await server.close();
  rmSync(profile, { recursive: true, force: true });
});

test('/docs renders the operations in a headless browser with no network but loopback', {
  timeout: 120_000,
}, async () => {
  const browser = await launch({
    executablePath: '/usr/bin/chromium',
    userDataDir: profile,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Everything but loopback goes to a proxy that is not there: a CDN cannot answer.
      '--proxy-server=http://127.0.0.1:9',
    ],
  });
  try {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      const { protocol, hostname } = new URL(request.url());
      if (/^https?:$/.test(protocol) && !['127.0.0.1', 'localhost'].includes(hostname))
        elsewhere.push(request.url());
    });
    await page.goto(`http://127.0.0.1:${server.port}/docs`, { waitUntil: 'load' });
    // A summary from the OpenAPI document, in the DOM only once the reference script has run.
    const summary = 'Create a tenant (organization) with its first admin API key';
    await page.waitForFunction(`document.body.textContent.includes(${JSON.stringify(summary)})`, {
      timeout: 60_000,
    });
    expect(await page.title()).toBe('Tandem API reference');
    expect(elsewhere).toEqual([]);
  } finally {
    await browser.close();
  }
});
