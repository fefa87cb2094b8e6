import { Scalar } from '@scalar/hono-api-reference';
import type { Hono } from 'hono';
import { scalarBundlePath } from '../docs-asset.ts';
import type { AppEnv } from '../env.ts';

/**
 * `/docs`: the browsable reference, with its script from `/docs/scalar.js` rather than a CDN.
 * URLs are relative, so the page also works under API Gateway's `/<stage>/` prefix.
 */
export function registerDocs(app: Hono<AppEnv>) {
  let script: Promise<string> | undefined;
  app.get(
    '/docs',
    Scalar({
      url: 'openapi.json',
      cdn: 'docs/scalar.js',
      pageTitle: 'Tandem API reference',
      withDefaultFonts: false,
    }),
  );
  app.get('/docs/scalar.js', async (c) => {
    // Not imported at the top: see docs-asset.ts.
    script ??= process.getBuiltinModule('node:fs/promises').readFile(scalarBundlePath(), 'utf8');
    return c.body(await script, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      // The file changes only with the pinned package version, which changes the deployment.
      'cache-control': 'public, max-age=86400',
    });
  });
}
