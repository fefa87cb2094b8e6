/** How deliveries behave. One object, so the local runtime, AWS and tests differ only in data. */
export interface DeliveryPolicy {
  /** Plain http and loopback targets: only the local runtime and tests allow them. */
  allowInsecureUrls: boolean;
  /** A 2xx within this time is a success. */
  timeoutMs: number;
  /** Response bytes read (and the first KB kept in the log); the rest is not downloaded. */
  maxResponseBytes: number;
  /** Delay before attempt n+1 after attempt n failed; its length is the number of attempts. */
  retryDelaysMs: readonly number[];
  /** ± this share of each delay is random, so retries from many failures do not align. */
  jitter: number;
  /** An endpoint failing without a single success for this long is disabled. */
  disableAfterMs: number;
  /** How long a worker holds a delivery while attempting it. */
  leaseMs: number;
  /** Events a recovery re-sends per job: one page keeps each job short, however far back it reaches. */
  recoveryPageSize: number;
  /** DNS, the system boundary of the SSRF guard; tests answer from a table instead of the network. */
  resolveHost?: ResolveHost;
}

export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** Svix's schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  allowInsecureUrls: false,
  timeoutMs: 15 * second,
  maxResponseBytes: 64 * 1024,
  retryDelaysMs: [0, 5 * second, 5 * minute, 30 * minute, 2 * hour, 5 * hour, 10 * hour, 10 * hour],
  jitter: 0.1,
  disableAfterMs: 5 * 24 * hour,
  leaseMs: 60 * second,
  recoveryPageSize: 100,
};
