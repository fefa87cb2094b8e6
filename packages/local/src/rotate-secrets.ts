import { resolve } from 'node:path';
import { loadState, rotateSecrets, saveState } from './config.ts';

/**
 * `npm run rotate-secrets`: new operator key and cursor secret for the local data folder; the
 * replaced ones keep working until the next rotation. `npm start` reads them when it starts.
 */
const dataDir = resolve(process.env.TANDEM_DATA_DIR ?? '.tandem');
const state = loadState(dataDir);
if (!state.operatorKey && !state.demo) {
  console.error(`tandem: nothing to rotate in ${dataDir}; run npm start once first`);
  process.exit(1);
}
const rotated = rotateSecrets(state, new Date());
saveState(dataDir, rotated);
console.log('Rotated the cursor secret: cursors issued before keep working until the next rotation.');
if (rotated.operatorKey)
  console.log(
    `New operator key (the previous one keeps working until the next rotation): ${rotated.operatorKey}`,
  );
if (process.env.TANDEM_OPERATOR_KEY)
  console.log('TANDEM_OPERATOR_KEY is set: npm start uses it as the operator key whatever is stored.');
console.log('Restart npm start to use the new values.');
