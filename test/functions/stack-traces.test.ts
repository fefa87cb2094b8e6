import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleFunction } from '../../infra/bundle.ts';

// The fixture bundled exactly as the stack bundles an entry of functions/ (minified ESM, maps beside).
const outDir = mkdtempSync(join(tmpdir(), 'tandem-stack-traces-'));
beforeAll(() => bundleFunction('../test/functions/fixtures/failing-function', outDir), 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The stack of the fixture's failure, in a fresh `node` run as Lambda runs it (no --enable-source-maps). */
function failureStack(options: { removeMaps?: boolean } = {}): string {
  if (options.removeMaps) rmSync(join(outDir, 'index.mjs.map'));
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(outDir, 'index.mjs')).href)});
try { await handler({ amount: 6 }); } catch (error) { process.stdout.write(error.stack); }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  expect(run.stderr).toBe('');
  return run.stdout;
}

describe('stack traces of a bundled function', () => {
  test('name the TypeScript sources and functions, read from the map when the stack is', () => {
    const stack = failureStack();
    expect(stack.split('\n').slice(0, 3)).toEqual([
      'Error: amount 12 is over the limit',
      expect.stringMatching(/^ {4}at checkAmount \(test\/functions\/fixtures\/failing-function\.ts:7:\d+\)$/),
      // An async function's own name is not in the map where V8 looks (as with --enable-source-maps).
      expect.stringMatching(/^ {4}at \w+ \(test\/functions\/fixtures\/failing-function\.ts:14:\d+\)$/),
    ]);
    expect(stack).not.toContain('index.mjs');
  });

  test('keep the bundle positions where a map is missing', () => {
    const stack = failureStack({ removeMaps: true });
    expect(stack).toMatch(/^ {4}at \w+ \(file:.*\/index\.mjs:\d+:\d+\)$/m);
  });
});
