import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces that name the TypeScript sources, mapped when a stack is first read rather than
 * when a module loads. `--enable-source-maps` makes Node read and parse the source map of every
 * module as it loads it, so every cold start pays for maps that only an error needs. Here a
 * bundle file's map (shipped beside it) is read the first time a stack passes through that
 * file, with Node's own source map reader, and kept for the life of the process.
 *
 * Frames keep V8's wording; a frame in a bundle file becomes `at <original name> (<source>:<line>:<column>)`,
 * the name taken as Node's own mapping takes it (the enclosing function's, else the name at the
 * caller's call). Sources are repository paths (`packages/store/src/keys.ts`: infra/bundle.ts
 * writes them so), not paths of the machine that built the bundle.
 */
export function mapStackTracesOnDemand(): void {
  // Only a bundle has maps to read: run from its TypeScript sources (tests, tsx), frames are the sources already.
  if (!import.meta.url.endsWith('.mjs')) return;
  Error.prepareStackTrace = (error, callSites) => {
    const frames = callSites.map((callSite, i) => `\n    at ${mappedFrame(callSite, callSites[i + 1])}`);
    return `${headerOf(error)}${frames.join('')}`;
  };
}

const maps = new Map<string, SourceMap | null>();

/** The map beside a bundle file (`index.mjs.map`), read once; null where there is none. */
function mapOf(fileName: string | null | undefined): SourceMap | null {
  if (!fileName?.startsWith('file:') || !fileName.endsWith('.mjs')) return null;
  let map = maps.get(fileName);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(fileName)}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(fileName, map);
  }
  return map;
}

/** The original position of a 1-based line and column of a bundle file, with the name there if the map has one. */
function entryAt(map: SourceMap, line: number | null, column: number | null) {
  if (line === null || column === null) return undefined;
  const entry = map.findEntry(line - 1, column - 1);
  return 'originalSource' in entry ? (entry as typeof entry & { name?: string }) : undefined;
}

function mappedFrame(callSite: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string {
  const map = mapOf(callSite.getFileName());
  const entry = map && entryAt(map, callSite.getLineNumber(), callSite.getColumnNumber());
  if (!map || !entry) return String(callSite);
  const at = `${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const name = originalName(map, callSite, caller) ?? callSite.getFunctionName();
  const prefix = `${callSite.isAsync() ? 'async ' : ''}${callSite.isConstructor() ? 'new ' : ''}`;
  return name ? `${prefix}${name} (${at})` : `${prefix}${at}`;
}

/** As Node names a mapped frame: the enclosing function's original name, else the name the caller called. */
function originalName(map: SourceMap, callSite: NodeJS.CallSite, caller: NodeJS.CallSite | undefined) {
  const enclosing = entryAt(map, callSite.getEnclosingLineNumber(), callSite.getEnclosingColumnNumber());
  if (enclosing?.name) return enclosing.name;
  const callerMap = mapOf(caller?.getFileName());
  return (
    (callerMap && caller && entryAt(callerMap, caller.getLineNumber(), caller.getColumnNumber())?.name) ||
    undefined
  );
}

function headerOf(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
}
