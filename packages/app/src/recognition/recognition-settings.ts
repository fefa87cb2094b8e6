import {
  defaultRecognitionSettings,
  domainEvent,
  type RecognitionSettings,
  type RecognitionSettingsInput,
} from '@tandem/core';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/** The organization's settings, or the defaults (version 0) while none were set. */
export async function getRecognitionSettings(ctx: TenantContext): Promise<RecognitionSettings> {
  return (await ctx.store.kudos.settings()) ?? defaultRecognitionSettings();
}

/** Replaces the recognition settings; If-Match `"0"` means "while the defaults apply". */
export function setRecognitionSettings(
  ctx: TenantContext,
  input: RecognitionSettingsInput,
  precondition: Precondition,
): Promise<RecognitionSettings> {
  return readModifyWrite(precondition, async () => {
    const current = await getRecognitionSettings(ctx);
    assertVersion(current, precondition);
    const next: RecognitionSettings = {
      ...input,
      version: current.version + 1,
      updatedAt: ctx.clock().toISOString(),
    };
    await ctx.store.kudos.saveSettings(
      next,
      current.version,
      domainEvent('recognition_settings.updated', { kudosPerSenderPerDay: next.kudosPerSenderPerDay }),
    );
    return next;
  });
}
