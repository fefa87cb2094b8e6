/** Writes `src/scan-kernel-bytes.ts` from `src/scan-kernel.wat` (see `compile-scan-kernel.ts`). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileScanKernel, kernelBytesModule, kernelBytesText } from './compile-scan-kernel.ts';

const bytes = await compileScanKernel();
writeFileSync(kernelBytesModule, kernelBytesText(bytes));
console.log(`${fileURLToPath(kernelBytesModule)}: ${bytes.length} bytes`);
