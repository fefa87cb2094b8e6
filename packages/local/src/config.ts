import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret, OPERATOR_KEY_PREFIX } from '@tandem/api';
import { writeFileAtomicSync } from './atomic-file.ts';

/** What `npm start` keeps between runs under the data directory (never committed: .tandem/ is ignored). */
export interface LocalState {
  operatorKey?: string;
  cursorSecret: string;
  demo?: { tenantId: string; adminKey: string; programId: string };
}

export function loadState(dataDir: string | undefined): LocalState {
  const file = dataDir && join(dataDir, 'local.json');
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalState;
  return { cursorSecret: randomBytes(32).toString('base64url') };
}

export function saveState(dataDir: string | undefined, state: LocalState) {
  if (!dataDir) return;
  mkdirSync(dataDir, { recursive: true });
  writeFileAtomicSync(join(dataDir, 'local.json'), `${JSON.stringify(state, null, 2)}\n`);
}

/** TANDEM_OPERATOR_KEY wins; otherwise the key generated on first run is reused. */
export function resolveOperatorKey(state: LocalState): { key: string; generated: boolean } {
  const fromEnv = process.env.TANDEM_OPERATOR_KEY;
  if (fromEnv) return { key: fromEnv, generated: false };
  if (state.operatorKey) return { key: state.operatorKey, generated: false };
  state.operatorKey = generateSecret(OPERATOR_KEY_PREFIX);
  return { key: state.operatorKey, generated: true };
}
