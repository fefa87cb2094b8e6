import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileScanKernel, kernelBytesModule, kernelBytesText } from '../scripts/compile-scan-kernel.ts';

describe('scan kernel', () => {
  it('ships the bytes of its WebAssembly text (run `npm run build:scan-kernel` after editing it)', async () => {
    const shipped = readFileSync(kernelBytesModule, 'utf8');
    expect(shipped).toBe(kernelBytesText(await compileScanKernel()));
  });
});
