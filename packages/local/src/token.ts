import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mintDevToken } from './dev-issuer.ts';

/**
 * `npm run token -- <email>`: prints a participant token of the local development issuer for a
 * person of the demo organization, signed with the key `npm start` keeps in the data folder.
 * Local only: no deployed stage trusts this issuer.
 */
const { positionals } = parseArgs({ allowPositionals: true });
const email = positionals[0];
if (!email || positionals.length > 1) {
  console.error(
    'usage: npm run token -- <email of a person of the demo organization, e.g. dana@demo.example>',
  );
  process.exit(2);
}
try {
  console.log(await mintDevToken(resolve(process.env.TANDEM_DATA_DIR ?? '.tandem'), email));
} catch (error) {
  console.error(`tandem: ${(error as Error).message}`);
  process.exit(1);
}
