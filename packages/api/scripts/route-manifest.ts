/**
 * Writes packages/api/src/routes/manifest.ts: the method, pattern and operationId of every route of
 * every group in routes/groups.ts, which the app registers without loading the groups (see
 * http/lazy-routes.ts), then formats it as biome would. Run after adding, removing or moving a
 * route; packages/api/test/route-manifest.test.ts fails while the file and the route modules disagree.
 *
 * Usage: tsx packages/api/scripts/route-manifest.ts
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { routeManifestSource } from '../src/routes/manifest-source.ts';

const file = fileURLToPath(new URL('../src/routes/manifest.ts', import.meta.url));
writeFileSync(file, await routeManifestSource());
const biome = spawnSync('npx', ['--no-install', 'biome', 'format', '--write', file], { stdio: 'inherit' });
process.exitCode = biome.status ?? 1;
