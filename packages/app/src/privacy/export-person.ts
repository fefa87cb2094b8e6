import type { TenantContext } from '../context.ts';
import type { Fields } from './areas.ts';
import { privacyAreas } from './privacy-areas.ts';
import { loadSubject } from './subject.ts';

export interface PersonExportStream {
  personId: string;
  exportedAt: string;
  /** Each area's records, read page by page as the caller consumes them. */
  sections: AsyncIterable<{ name: string; items: AsyncIterable<Fields> }>;
}

/**
 * Everything Tandem holds about a person (GET /v1/people/{id}/export). The person is read before
 * anything streams, so a wrong id is a 404 and not a broken document; the sections are then read
 * lazily, one page at a time, so a busy person's export never sits in memory whole.
 */
export async function exportPerson(ctx: TenantContext, personId: string): Promise<PersonExportStream> {
  const subject = await loadSubject(ctx, personId);
  async function* sections() {
    for (const area of privacyAreas)
      if (area.collect) yield { name: area.name, items: area.collect(ctx, subject) };
  }
  return { personId, exportedAt: ctx.clock().toISOString(), sections: sections() };
}
