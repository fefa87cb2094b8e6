import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, PortTakenError, startDynamoDbLocal } from '@tandem/local';
import { afterEach, expect, test } from 'vitest';

/** The JVM options the `java` launcher of a running DynamoDB Local read (JDK_JAVA_OPTIONS), from /proc (Linux). */
function javaOptionsOf(pid: number): string | undefined {
  const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return environment
    .find((entry) => entry.startsWith('JDK_JAVA_OPTIONS='))
    ?.slice('JDK_JAVA_OPTIONS='.length);
}

const saved = { override: process.env.TANDEM_DYNAMODB_JAVA_OPTIONS, inherited: process.env.JDK_JAVA_OPTIONS };
afterEach(() => {
  for (const [name, value] of [
    ['TANDEM_DYNAMODB_JAVA_OPTIONS', saved.override],
    ['JDK_JAVA_OPTIONS', saved.inherited],
  ] as const)
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
});

test("DynamoDB Local runs on C1 and the serial collector unless TANDEM_DYNAMODB_JAVA_OPTIONS says otherwise, and the caller's JDK_JAVA_OPTIONS come last", async () => {
  delete process.env.TANDEM_DYNAMODB_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = '-Xmx512m';
  const defaults = await startDynamoDbLocal();
  try {
    expect(javaOptionsOf(defaults.process.pid!)).toBe('-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m');
    // Set for the launch only: this process's own environment is as it was.
    expect(process.env.JDK_JAVA_OPTIONS).toBe('-Xmx512m');
  } finally {
    await defaults.stop();
  }

  process.env.TANDEM_DYNAMODB_JAVA_OPTIONS = '';
  delete process.env.JDK_JAVA_OPTIONS;
  const jvmDefaults = await startDynamoDbLocal();
  try {
    expect(javaOptionsOf(jvmDefaults.process.pid!)).toBeUndefined();
  } finally {
    await jvmDefaults.stop();
  }
});

test('a start on a port another process holds says so; a start that picks its port tries another free one', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const taken = (holder.address() as { port: number }).port;
  try {
    await expect(startDynamoDbLocal({ port: taken })).rejects.toThrow(PortTakenError);
    // As when a free port was bound by something else before the JVM could listen on it.
    const ports = [taken, await freePort()];
    const second = ports[1];
    const started = await startDynamoDbLocal({ port: async () => ports.shift()! });
    try {
      expect(started.endpoint).toBe(`http://127.0.0.1:${second}`);
    } finally {
      await started.stop();
    }
  } finally {
    holder.close();
  }
});
