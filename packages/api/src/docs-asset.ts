import { fileURLToPath } from 'node:url';

// From the CommonJS exports: an ESM import of node:fs makes Node read all of its exports, whose
// lazy `promises` loads fs/promises, at every cold start of the API for a page few requests ask for.
const { existsSync } = process.getBuiltinModule('node:fs');

/**
 * The API reference UI (`/docs`) runs on the standalone build of the pinned
 * `@scalar/api-reference` package, served by the API itself so that the page works offline and
 * never runs code a CDN changed. Kept free of other imports: the CDK app reads it to copy the
 * file into the API function's bundle.
 */
export const SCALAR_BUNDLE_FILE = 'scalar-api-reference.js';

/** The standalone build inside the installed package (its `exports` do not list it, so it is found from the entry point). */
export function installedScalarBundle(): string {
  return fileURLToPath(new URL('browser/standalone.js', import.meta.resolve('@scalar/api-reference')));
}

/**
 * Beside the running module when bundled (the Lambda asset carries a copy next to its single
 * `index.mjs`), else the installed package.
 */
export function scalarBundlePath(): string {
  const beside = fileURLToPath(new URL(SCALAR_BUNDLE_FILE, import.meta.url));
  return existsSync(beside) ? beside : installedScalarBundle();
}
