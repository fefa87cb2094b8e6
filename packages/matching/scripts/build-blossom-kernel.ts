/** Writes `src/blossom-kernel-bytes.ts` from `assembly/blossom-kernel.ts` (see `compile-blossom-kernel.ts`). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  blossomKernelBytesModule,
  blossomKernelBytesText,
  compileBlossomKernel,
} from './compile-blossom-kernel.ts';

// `--checked` keeps AssemblyScript's bounds checks and assertions, for debugging the kernel.
const bytes = await compileBlossomKernel(
  process.argv.includes('--checked') ? ['-O3', '--runtime', 'minimal', '--exportRuntime'] : undefined,
);
writeFileSync(blossomKernelBytesModule, blossomKernelBytesText(bytes));
console.log(`${fileURLToPath(blossomKernelBytesModule)}: ${bytes.length} bytes`);
