import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { BlobStore } from '../matching-run/contract.ts';

/** The local blob store under `npm start`: one JSON file per key below a folder. */
export class FolderBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async putJson(key: string, value: unknown): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Written beside and renamed into place, so a reader never sees half a file.
    const partial = `${path}.${process.pid}.${Date.now()}.partial`;
    await writeFile(partial, JSON.stringify(value));
    await rename(partial, path);
  }

  async getJson<T>(key: string): Promise<T> {
    return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as T;
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
