import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret, hashSecret, OPERATOR_KEY_PREFIX } from '@tandem/api';
import { LocalDataKeys, SecretSealer } from '@tandem/store';
import { writeFileAtomicSync } from './atomic-file.ts';

/** What `npm start` keeps between runs under the data directory (never committed: .tandem/ is ignored). */
export interface LocalState {
  operatorKey?: string;
  cursorSecret: string;
  /**
   * The master key that seals stored secrets (webhook signing secrets, HR systems' keys), as KMS
   * does in AWS. Not rotated by `npm run rotate-secrets`: every sealed value carries its data key
   * wrapped under this key, so a new master key would leave them unreadable. Missing in a data
   * folder from before sealing: made on the next start.
   */
  sealingKey?: string;
  /** What `npm run rotate-secrets` replaced: still accepted until the next rotation. */
  previous?: { operatorKey?: string; cursorSecret: string; rotatedAt: string };
  demo?: { tenantId: string; adminKey: string; programId: string };
  /** The demo organization's identity provider for the local development issuer. */
  devIdentityProviderId?: string;
}

export function loadState(dataDir: string | undefined): LocalState {
  const file = dataDir && join(dataDir, 'local.json');
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalState;
  return { cursorSecret: randomBytes(32).toString('base64url') };
}

/** The data folder's master key for sealing stored secrets, made on first use (saved with the state). */
export function sealerOf(state: LocalState): SecretSealer {
  state.sealingKey ??= randomBytes(32).toString('base64url');
  return new SecretSealer(new LocalDataKeys(Buffer.from(state.sealingKey, 'base64url')));
}

export function saveState(dataDir: string | undefined, state: LocalState) {
  if (!dataDir) return;
  mkdirSync(dataDir, { recursive: true });
  writeFileAtomicSync(join(dataDir, 'local.json'), `${JSON.stringify(state, null, 2)}\n`);
}

/** The secrets list cursors open with: the current one seals, the previous one still opens. */
export const cursorSecrets = (state: LocalState): string[] => [
  state.cursorSecret,
  ...(state.previous ? [state.previous.cursorSecret] : []),
];

/** The operator keys accepted: the current one, and the one rotated out last unless the key comes from the environment. */
export function operatorKeyHashes(
  state: LocalState,
  operator: ReturnType<typeof resolveOperatorKey>,
): string[] {
  const previous = operator.source === 'environment' ? undefined : state.previous?.operatorKey;
  return [operator.key, ...(previous ? [previous] : [])].map(hashSecret);
}

/**
 * A rotation with an overlap window, as Secrets Manager's AWSCURRENT and AWSPREVIOUS: new values
 * become current, the current ones previous (still accepted), and the previous ones stop working.
 * The overlap lasts until the next rotation.
 */
export function rotateSecrets(state: LocalState, at: Date): LocalState {
  return {
    ...state,
    cursorSecret: randomBytes(32).toString('base64url'),
    ...(state.operatorKey ? { operatorKey: generateSecret(OPERATOR_KEY_PREFIX) } : {}),
    previous: {
      ...(state.operatorKey ? { operatorKey: state.operatorKey } : {}),
      cursorSecret: state.cursorSecret,
      rotatedAt: at.toISOString(),
    },
  };
}

/** TANDEM_OPERATOR_KEY wins; otherwise the key generated on first run is reused. */
export function resolveOperatorKey(state: LocalState): {
  key: string;
  source: 'environment' | 'state' | 'generated';
} {
  const fromEnv = process.env.TANDEM_OPERATOR_KEY;
  if (fromEnv) return { key: fromEnv, source: 'environment' };
  if (state.operatorKey) return { key: state.operatorKey, source: 'state' };
  state.operatorKey = generateSecret(OPERATOR_KEY_PREFIX);
  return { key: state.operatorKey, source: 'generated' };
}

/**
 * The startup line about the operator key, printed on every start: the key is needed to create
 * tenants long after the first run's output has scrolled away.
 */
export function operatorKeyLine(
  operator: ReturnType<typeof resolveOperatorKey>,
  dataDir: string | undefined,
): string {
  if (operator.source === 'environment') return 'Operator key: the value of TANDEM_OPERATOR_KEY';
  const where =
    operator.source === 'generated' || !dataDir
      ? 'generated; set TANDEM_OPERATOR_KEY to choose one'
      : `kept in ${join(dataDir, 'local.json')}; set TANDEM_OPERATOR_KEY to choose one`;
  return `Operator key (${where}): ${operator.key}`;
}
