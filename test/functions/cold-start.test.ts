import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { bundleFunction } from '../../infra/bundle.ts';

// Bundled exactly as the stack bundles them: what a cold start imports is what Lambda loads at init.
const outDir = mkdtempSync(join(tmpdir(), 'tandem-cold-start-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const initExternals = async (entry: string) =>
  (await bundleFunction(entry, join(outDir, entry))).initExternals;

describe('what a cold start loads', () => {
  test('the webhook relay and delivery read no secret at init: no Secrets Manager client', async () => {
    expect(await initExternals('webhook-relay')).not.toContain('@aws-sdk/client-secrets-manager');
    // The delivery's recoveries page with cursors: their first job loads the client and the secret.
    expect(await initExternals('webhook-delivery')).not.toContain('@aws-sdk/client-secrets-manager');
  }, 60_000);

  test('the API reads its cursor secret on the first request that needs it: no Secrets Manager client at init', async () => {
    // Most requests seal or open no cursor; those that do load the client and read the secret then.
    expect(await initExternals('api')).not.toContain('@aws-sdk/client-secrets-manager');
  }, 60_000);

  test('the API’s cold start builds no zod schema: zod’s classic API, the OpenAPI extension, core’s schemas and the document load with the first route group', async () => {
    const { initSources, lazyFiles } = await bundleFunction('api', join(outDir, 'api-sources'));
    const inInit = (pattern: RegExp) => initSources.filter((source) => pattern.test(source));
    // The environment check's zod/mini may share zod's core; the schema-building API must not load.
    expect(inInit(/node_modules\/zod\/v4\/classic\//)).toEqual([]);
    expect(inInit(/node_modules\/(@hono\/zod-openapi|@asteasolutions\/zod-to-openapi)\//)).toEqual([]);
    // Core's modules at init hold constants and rules only (ids, errors, the audit trail's rules).
    expect(
      inInit(/packages\/core\/src\/(common|ids?-schema|api-key|tenant|events|webhook|patch)\.ts$/),
    ).toEqual([]);
    expect(
      inInit(
        /packages\/api\/src\/(http\/(group-app|document|openapi|problem-schema|tenant-tier)|platform-context|routes\/(?!manifest|groups))/,
      ),
    ).toEqual([]);
    // What was measured to sit there before: the app shell, the routes' stand-ins and the app-wide middleware.
    expect(initSources).toEqual(
      expect.arrayContaining([
        'packages/api/src/app.ts',
        'packages/api/src/routes/manifest.ts',
        'packages/api/src/http/problems.ts',
      ]),
    );
    expect(lazyFiles.length).toBeGreaterThan(30);
  }, 60_000);

  test('a route group’s first request loads the schemas of its own resources, not every repository’s', async () => {
    const { lazySources } = await bundleFunction('api', join(outDir, 'api-first-request'));
    // What tenantStore loads on a repository's first call: each a module of its own.
    const repositories = Object.keys(lazySources).filter((source) =>
      source.startsWith('packages/store/src/'),
    );
    expect(repositories).toEqual(
      expect.arrayContaining(['packages/store/src/programs.ts', 'packages/store/src/surveys.ts']),
    );
    const programs = lazySources['packages/api/src/routes/programs.ts']!;
    expect(programs).toEqual(
      expect.arrayContaining(['packages/core/src/program.ts', 'packages/store/src/store.ts']),
    );
    // Only the calendar feeds' lookup, which the group's middleware runs for a feed token.
    expect(programs.filter((source) => repositories.includes(source))).toEqual([
      'packages/store/src/calendar-feeds.ts',
    ]);
    expect(
      programs.filter((source) =>
        /packages\/core\/src\/(person|api-key|webhook|kudos|recognition|hris|analytics|resource|post)\.ts$/.test(
          source,
        ),
      ),
    ).toEqual([]);
  }, 60_000);

  test('the authorizer, relay and delivery, which make no tenant store, bundle none of its lazily loaded repositories', async () => {
    // Were tenantStore's imports among their sources, each repository they use in part (a key
    // lookup, the relay's three) would be bundled whole, into what their init loads.
    for (const entry of ['authorizer', 'webhook-relay', 'webhook-delivery']) {
      const { lazySources } = await bundleFunction(entry, join(outDir, `${entry}-no-store`));
      expect(Object.keys(lazySources).filter((source) => source.startsWith('packages/store/src/'))).toEqual(
        [],
      );
    }
  }, 60_000);

  test('the authorizer, which reads the operator key at init, loads it', async () => {
    expect(await initExternals('authorizer')).toContain('@aws-sdk/client-secrets-manager');
  }, 60_000);

  test('with the SDK bundled (the bench’s comparison), nothing loads from the runtime, and the SDK clients an init loads are still named', async () => {
    // bench:bundles subtracts the secret fetch by the Secrets Manager client among `initSdk`.
    const bundled = await bundleFunction(
      'authorizer',
      join(outDir, 'authorizer-sdk-bundled'),
      {},
      { bundleSdk: true },
    );
    expect(bundled.initExternals).toEqual([]);
    expect(bundled.initSdk).toEqual(
      expect.arrayContaining(['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager']),
    );
    const relay = await bundleFunction(
      'webhook-relay',
      join(outDir, 'relay-sdk-bundled'),
      {},
      { bundleSdk: true },
    );
    expect(relay.initSdk).not.toContain('@aws-sdk/client-secrets-manager');
  }, 60_000);
});
