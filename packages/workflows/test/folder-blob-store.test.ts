import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderBlobStore } from '../src/blob-store/folder.ts';

const root = await mkdtemp(join(tmpdir(), 'tandem-blobs-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('folder blob store', () => {
  const blobs = new FolderBlobStore(join(root, 'blobs'));

  it('round-trips JSON under nested keys, creating the folders', async () => {
    const value = { pairs: [{ a: 'per_1', b: 'per_2', score: 0.5 }], note: 'ü' };
    await blobs.putJson('ten_1/prg_1/run_1/result.json', value);
    expect(await blobs.getJson('ten_1/prg_1/run_1/result.json')).toEqual(value);
    await blobs.putJson('ten_1/prg_1/run_1/result.json', { replaced: true });
    expect(await blobs.getJson('ten_1/prg_1/run_1/result.json')).toEqual({ replaced: true });
    expect(await readdir(join(root, 'blobs/ten_1/prg_1/run_1'))).toEqual(['result.json']);
  });

  it('fails to read a key nobody wrote', async () => {
    await expect(blobs.getJson('ten_1/missing.json')).rejects.toThrow(/ENOENT/);
  });

  it.each([
    '../outside.json',
    'a/../../outside.json',
    '/etc/passwd',
    'a//b.json',
    '',
    './a.json',
    'a\\..\\b',
  ])('refuses the key %j', async (key) => {
    await expect(blobs.putJson(key, 1)).rejects.toThrow(/Invalid blob key/);
    await expect(blobs.getJson(key)).rejects.toThrow(/Invalid blob key/);
  });
});
