import type { HrisProvider } from '@tandem/core';
import { bamboohr } from './bamboohr.ts';
import type { HrisProviderModule } from './common.ts';
import { finch } from './finch.ts';
import { gusto } from './gusto.ts';
import { hibob } from './hibob.ts';
import { merge } from './merge.ts';
import { personio } from './personio.ts';
import { rippling } from './rippling.ts';
import { standard } from './standard.ts';
import { workday } from './workday.ts';

export * from './api/index.ts';
export type { Handshake, HrisProviderModule, InboundDelivery, Reading, Verdict } from './common.ts';
export { NO_API_REASON, sha256Hex, TOLERANCE_SECONDS } from './common.ts';

/** Verification and normalization per HR system: one module each. */
export const hrisProviderModules: Record<HrisProvider, HrisProviderModule> = {
  standard,
  bamboohr,
  hibob,
  gusto,
  merge,
  finch,
  personio,
  rippling,
  workday,
};
