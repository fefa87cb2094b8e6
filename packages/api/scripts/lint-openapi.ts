/**
 * Lints the OpenAPI document exactly as the app serves it: builds the app in-process with inert
 * dependencies (serving /openapi.json touches none of them), writes the document to a file and runs
 * Spectral with the repository's .spectral.yaml (spectral:oas and the OWASP ruleset).
 *
 * Usage: tsx packages/api/scripts/lint-openapi.ts [document.json]   (kept when a path is given)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { type AppDeps, createApp } from '../src/index.ts';

const needed: Partial<AppDeps> = {
  cursorSecret: 'unused-when-serving-the-document',
  logger: new Logger({ serviceName: 'tandem-openapi-lint', logLevel: 'SILENT' }),
};
const inertDeps = new Proxy(needed, {
  get(target, name: string) {
    if (name in target) return target[name as keyof AppDeps];
    throw new Error(`Serving /openapi.json must not need deps.${name}`);
  },
}) as AppDeps;

const res = await createApp(inertDeps).request('/openapi.json');
if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);

const kept = process.argv[2];
const dir = kept ? undefined : mkdtempSync(join(tmpdir(), 'tandem-openapi-'));
const file = kept ?? join(dir!, 'openapi.json');
writeFileSync(file, await res.text());
const spectral = spawnSync(
  'npx',
  [
    '--no-install',
    'spectral',
    'lint',
    '--fail-severity',
    'error',
    '--display-only-failures',
    '--ruleset',
    '.spectral.yaml',
    file,
  ],
  { stdio: 'inherit' },
);
if (dir) rmSync(dir, { recursive: true, force: true });
process.exit(spectral.status ?? 1);
