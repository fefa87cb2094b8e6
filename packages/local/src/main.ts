import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JavaMissingError } from './dynamodb-local.ts';
import { PortInUseError } from './http-server.ts';
import { startLocal } from './server.ts';

/** `npm start`: runs Tandem locally until Ctrl-C. */
const { values } = parseArgs({
  options: { 'in-memory': { type: 'boolean', default: false } },
  allowPositionals: false,
});

const port = Number(process.env.PORT ?? 3000);
const dataDir = values['in-memory'] ? undefined : resolve(process.env.TANDEM_DATA_DIR ?? '.tandem');

// Handlers first: a Ctrl-C during startup still stops whatever had started, once it has.
let local: Awaited<ReturnType<typeof startLocal>> | undefined;
let requested: string | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  requested = signal;
  if (!local || stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping Tandem…`);
  await local.stop();
  console.log('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  local = await startLocal({ port, dataDir });
  if (requested) await shutdown(requested);
} catch (error) {
  if (error instanceof JavaMissingError || error instanceof PortInUseError) {
    console.error(`tandem: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
