import { AssumeRoleCommand, type AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import { createDocumentClient, createDynamoClient, type DynamoConnection } from './client.ts';
import type { Db } from './db.ts';

export interface TenantCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** The one call to STS. Production passes `stsAssumeRole()`; tests pass a double, since STS cannot run locally. */
export type AssumeRole = (input: AssumeRoleCommandInput) => Promise<TenantCredentials>;

export function stsAssumeRole(sts: STSClient = new STSClient({})): AssumeRole {
  return async (input) => {
    const { Credentials: c } = await sts.send(new AssumeRoleCommand(input));
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
      throw new Error(`STS returned no credentials for ${input.RoleArn}`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };
}

export interface TenantCredentialsOptions {
  /** The tenant data role: its policy pins `dynamodb:LeadingKeys` to the session's `TenantId` tag. */
  roleArn: string;
  assumeRole: AssumeRole;
  /** 1 hour, the default maximum session of a role. */
  sessionSeconds?: number;
  /**
   * Credentials are replaced this long before they expire. Five minutes matches the window in
   * which the AWS SDK asks its provider again, so the SDK never receives credentials it deems stale.
   */
  refreshMarginMs?: number;
  now?: () => number;
}

/** Tenant ids are `ten_<ulid>`; this also keeps them inside what STS accepts for session names and tags. */
const TENANT_ID = /^[A-Za-z0-9_]{1,56}$/;

/**
 * Per-tenant credential providers for the tenant data role, assumed with the session tag
 * `TenantId`. Each tenant's credentials are cached until shortly before they expire, and
 * concurrent requests of one tenant share a single AssumeRole call.
 */
export function createTenantCredentials(options: TenantCredentialsOptions) {
  const sessionSeconds = options.sessionSeconds ?? 3600;
  const refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;

  return (tenantId: string): (() => Promise<TenantCredentials>) => {
    if (!TENANT_ID.test(tenantId)) throw new Error(`Not a tenant id: ${JSON.stringify(tenantId)}`);
    let current: TenantCredentials | undefined;
    let pending: Promise<TenantCredentials> | undefined;
    const assume = async () => {
      try {
        current = await options.assumeRole({
          RoleArn: options.roleArn,
          RoleSessionName: `tenant-${tenantId}`,
          DurationSeconds: sessionSeconds,
          Tags: [{ Key: 'TenantId', Value: tenantId }],
        });
        return current;
      } finally {
        pending = undefined;
      }
    };
    return async () => {
      if (current && current.expiration.getTime() - now() > refreshMarginMs) return current;
      pending ??= assume();
      return pending;
    };
  };
}

export interface TenantDbsOptions extends TenantCredentialsOptions {
  tableName: string;
  connection?: Omit<DynamoConnection, 'credentials'>;
  /** Clients kept for the most recently used tenants; older ones are dropped and rebuilt on demand. */
  maxTenants?: number;
  /** How long an evicted client may still finish requests in flight before its sockets are closed. */
  destroyAfterMs?: number;
}

/** `tenantDb` for the API in AWS: one DynamoDB client per tenant, each holding that tenant's credentials. */
export function createTenantDbs(options: TenantDbsOptions): (tenantId: string) => Db {
  const credentialsFor = createTenantCredentials(options);
  const maxTenants = options.maxTenants ?? 200;
  const destroyAfterMs = options.destroyAfterMs ?? 60_000;
  const dbs = new Map<string, Db>();
  return (tenantId) => {
    let db = dbs.get(tenantId);
    if (db) {
      // Re-insert so the Map's order is least recently used first.
      dbs.delete(tenantId);
    } else {
      const client = createDynamoClient({ ...options.connection, credentials: credentialsFor(tenantId) });
      db = { doc: createDocumentClient(client), tableName: options.tableName };
    }
    dbs.set(tenantId, db);
    if (dbs.size > maxTenants) {
      const [oldest] = dbs.keys();
      const evicted = oldest === undefined ? undefined : dbs.get(oldest);
      if (oldest !== undefined) dbs.delete(oldest);
      // Its sockets and credential cache would otherwise live as long as the execution environment.
      if (evicted) setTimeout(() => evicted.doc.destroy(), destroyAfterMs).unref();
    }
    return db;
  };
}
