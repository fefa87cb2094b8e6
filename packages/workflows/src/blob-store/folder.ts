import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { BlobStore, ByteBlobStore } from '../matching-run/contract.ts';

/** The local blob store under `npm start`: one JSON file per key below a folder. */
export class FolderBlobStore implements BlobStore, ByteBlobStore {
  constructor(private readonly root: string) {}

  putJson(key: string, value: unknown): Promise<void> {
    return this.put(key, JSON.stringify(value));
  }

  async getJson<T>(key: string): Promise<T> {
    return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as T;
  }

  /** The content type is S3's concern; a file's extension says it locally. */
  putBytes(key: string, bytes: Uint8Array): Promise<void> {
    return this.put(key, bytes);
  }

  async getBytes(key: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.pathOf(key)));
  }

  private async put(key: string, content: string | Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Written beside and renamed into place, so a reader never sees half a file.
    const partial = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.partial`;
    await writeFile(partial, content);
    await rename(partial, path);
  }

  /** Keys are relative paths that stay inside the folder. */
  private pathOf(key: string): string {
    const segments = key.split(/[/\\]/);
    if (
      key.length === 0 ||
      isAbsolute(key) ||
      segments.some((segment) => segment === '' || segment === '.' || segment === '..')
    )
      throw new Error(`Invalid blob key ${JSON.stringify(key)}: expected a relative path without . or ..`);
    return join(this.root, ...segments);
  }
}
