import type { CertificateContent, CertificateFiles } from '@tandem/app';
import { CertificateLinks, type Clock, CursorCodec, type Db, noSecrets } from '@tandem/store';
import { tenantStore } from '@tandem/store/tenant-store';
import { createRecognitionSteps, FolderBlobStore } from '@tandem/workflows';
import { LocalRecognitionRunner, type RunnerLogger } from '@tandem/workflows/local';

export interface LocalRecognitionOptions {
  db: Db;
  cursorSecret: string | readonly string[];
  /** Where certificates are kept (S3's role in AWS). */
  blobDir: string;
  /** The API's base URL, which certificate links start with. */
  publicUrl: string;
  logger?: RunnerLogger;
  retryIntervalMs?: number;
  now?: () => Date;
  /** Replaces the blob store's writes (tests make the certificate step fail). */
  putBytes?: (key: string, bytes: Uint8Array, contentType: string) => Promise<void>;
  render?: (content: CertificateContent) => Promise<Uint8Array>;
}

/**
 * Recognition workflows under `npm start`: the state machine CDK synthesizes, run by the local
 * runner with the same step handlers the Lambda functions run. The steps run in this process:
 * they are short (a PDF page), unlike the matching solver that has its own thread.
 */
export function createLocalRecognition(options: LocalRecognitionOptions) {
  const cursors = new CursorCodec(options.cursorSecret);
  const storesFor = (tenantId: string, clock?: Clock) =>
    tenantStore({ tenant: options.db, platform: options.db, sealer: noSecrets }, tenantId, cursors, clock);
  const folder = new FolderBlobStore(options.blobDir);
  const blobs = {
    putBytes: options.putBytes ?? folder.putBytes.bind(folder),
    getBytes: folder.getBytes.bind(folder),
  };
  const steps = createRecognitionSteps({
    storesFor,
    blobs,
    links: new CertificateLinks(options.cursorSecret),
    publicUrl: options.publicUrl,
    ...(options.now ? { now: options.now } : {}),
    ...(options.render ? { render: options.render } : {}),
  });
  const runner = new LocalRecognitionRunner(steps, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
  });
  const certificates: CertificateFiles = { read: (key) => folder.getBytes(key) };
  return { starter: runner, runner, certificates };
}
