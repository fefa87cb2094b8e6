import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  blossomKernelBytesModule,
  blossomKernelBytesText,
  compileBlossomKernel,
} from '../scripts/compile-blossom-kernel.ts';

describe('blossom kernel', () => {
  it('ships the bytes of its AssemblyScript source (run `npm run build:blossom-kernel` after editing it)', async () => {
    const shipped = readFileSync(blossomKernelBytesModule, 'utf8');
    expect(shipped).toBe(blossomKernelBytesText(await compileBlossomKernel()));
  }, 60_000);
});
