import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

// Run as a plain `node` script by the CDK's synchronous local bundling (function.ts), so this
// module imports nothing but esbuild and Node: no workspace package, no TypeScript-only syntax.

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * zod's `locales` namespace re-exports every language's messages. The `z` object of `zod` carries
 * it, and `@hono/zod-openapi` hands that whole object to `extendZodWithOpenApi`, so no import style
 * of ours lets esbuild drop the other languages. zod's schemas register English from `en.js`
 * directly; nothing here configures another locale, so the namespace keeps only English.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

export interface FunctionBundle {
  /** Every file written, relative to the output directory (source maps and copied files included). */
  files: string[];
  /** The modules Lambda loads at init: the handler module and the chunks it imports statically. */
  initFiles: string[];
  /** Chunks loaded only by a dynamic `import()` when the code needs them (the Tracer, rarely used SDK clients). */
  lazyFiles: string[];
  /** The runtime's packages (the AWS SDK) that the init files import. */
  initExternals: string[];
  /** The AWS SDK packages a cold start loads, whether the runtime's (`initExternals`) or bundled. */
  initSdk: string[];
  /** The source files (relative to the repository) with code in the init files: what a cold start evaluates. */
  initSources: string[];
  /**
   * Per module that a dynamic `import()` loads (by its source file), the source files with code in
   * the chunks that import reads beyond the init files: what a first request evaluates when it
   * loads, say, a route group.
   */
  lazySources: Record<string, string[]>;
}

export interface BundleOptions {
  /**
   * Bundle the AWS SDK too, tree-shaken from its ESM build, instead of loading the runtime's copy.
   * Not what the stack deploys: it takes a third to two fifths off each init's CPU but makes every
   * bundle larger than its size target (docs/benchmarks.md, "Lambda bundles", session 19), so
   * only `npm run bench:bundles -- --sdk-bundled` builds it, for the comparison.
   */
  bundleSdk?: boolean;
}

/**
 * Bundles `functions/<entry>.ts` into `outDir` as minified ESM with source maps: the handler module
 * plus chunks that it or its dynamic imports load. Code behind a dynamic `import()` (the Tracer
 * where a stage traces, SDK clients few requests need) is its own chunk, so a cold start neither
 * reads nor compiles it. Workspace packages resolve through their `exports` to TypeScript sources;
 * the AWS SDK stays external because the Node.js runtime ships it. `files` are copied beside the
 * handler (name in the bundle → source path). The CDK (function.ts) and `npm run bench:bundles`
 * both call this, so the benchmark measures what is deployed.
 */
export async function bundleFunction(
  entry: string,
  outDir: string,
  files: Record<string, string> = {},
  { bundleSdk = false }: BundleOptions = {},
): Promise<FunctionBundle> {
  const { metafile } = await build({
    absWorkingDir: repositoryRoot,
    // The module Lambda loads as `index.handler` (function.ts).
    entryPoints: { index: join(repositoryRoot, 'functions', `${entry}.ts`) },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    // ESM builds first, for tree shaking; a package without one falls back to CommonJS.
    mainFields: ['module', 'main'],
    // Some CommonJS dependencies call require(); ESM output has none unless each file makes one.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: bundleSdk ? [] : ['@aws-sdk/*'],
    plugins: [zodEnglishOnly],
    metafile: true,
    logLevel: 'warning',
  });
  for (const [name, source] of Object.entries(files)) copyFileSync(source, join(outDir, name));
  const written = Object.keys(metafile.outputs).map((path) => relative(outDir, join(repositoryRoot, path)));
  for (const map of written.filter((file) => file.endsWith('.map')))
    sourcesFromRepositoryRoot(join(outDir, map));
  return { ...chunksOf(metafile, outDir), files: [...written, ...Object.keys(files)] };
}

/**
 * esbuild names each source relative to the map's folder, which is wherever the bundle was built (a
 * CDK staging folder, the bench's); mapped stack traces (functions/stack-traces.ts) should name
 * `packages/store/src/keys.ts` whatever that folder was.
 */
function sourcesFromRepositoryRoot(mapFile: string) {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  map.sources = map.sources.map((source) => relative(repositoryRoot, resolve(dirname(mapFile), source)));
  writeFileSync(mapFile, JSON.stringify(map));
}

/** The handler module and what it imports statically, apart from what only dynamic imports reach. */
function chunksOf(
  metafile: Metafile,
  outDir: string,
): Pick<
  FunctionBundle,
  'initFiles' | 'lazyFiles' | 'initExternals' | 'initSdk' | 'initSources' | 'lazySources'
> {
  const name = (path: string) => relative(outDir, join(repositoryRoot, path));
  const scripts = Object.keys(metafile.outputs).filter((path) => path.endsWith('.mjs'));
  // Each dynamically imported module is an entry point of its own chunk too; the handler is `index`.
  const entry = scripts.find((path) => name(path) === 'index.mjs');
  const init = new Set<string>();
  const externals = new Set<string>();
  const sdk = new Set<string>();
  const sources = new Set<string>();
  const visit = (path: string) => {
    if (init.has(path)) return;
    init.add(path);
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[path]?.inputs ?? {})) {
      sdk.add(input.match(/node_modules\/(@aws-sdk\/[^/]+)\//)?.[1] ?? '');
      if (bytesInOutput > 0) sources.add(input);
    }
    for (const imported of metafile.outputs[path]?.imports ?? [])
      if (imported.kind !== 'import-statement') continue;
      else if (!imported.external) visit(imported.path);
      else if (!imported.path.startsWith('node:')) externals.add(imported.path);
  };
  if (!entry) throw new Error(`esbuild wrote no index.mjs to ${outDir}`);
  visit(entry);
  const lazySources: Record<string, string[]> = {};
  for (const script of scripts) {
    const source = metafile.outputs[script]?.entryPoint;
    if (init.has(script) || !source) continue;
    const loaded = new Set<string>();
    const load = (path: string) => {
      if (init.has(path) || loaded.has(path)) return;
      loaded.add(path);
      for (const imported of metafile.outputs[path]?.imports ?? [])
        if (imported.kind === 'import-statement' && !imported.external) load(imported.path);
    };
    load(script);
    lazySources[source] = [...loaded]
      .flatMap((path) => Object.entries(metafile.outputs[path]?.inputs ?? {}))
      .flatMap(([input, { bytesInOutput }]) => (bytesInOutput > 0 ? [input] : []))
      .sort();
  }
  return {
    initFiles: [...init].map(name),
    lazyFiles: scripts.filter((path) => !init.has(path)).map(name),
    initExternals: [...externals].sort(),
    initSdk: [...externals, ...sdk].filter((name) => name.startsWith('@aws-sdk/')).sort(),
    initSources: [...sources].sort(),
    lazySources,
  };
}

// `node infra/bundle.ts <entry> <outDir> [<name>=<source> ...]`: the CDK's local bundling has to be
// synchronous, esbuild plugins need the asynchronous API, so function.ts runs this as a child process.
if (import.meta.main) {
  const [entry, outDir, ...copies] = process.argv.slice(2);
  if (!entry || !outDir)
    throw new Error('usage: node infra/bundle.ts <entry> <outDir> [<name>=<source> ...]');
  await bundleFunction(
    entry,
    outDir,
    Object.fromEntries(
      copies.map((copy) => [copy.slice(0, copy.indexOf('=')), copy.slice(copy.indexOf('=') + 1)]),
    ),
  );
}
