import type { Program } from '@tandem/core';

export const programEventData = (p: Program) => ({
  programId: p.id,
  name: p.name,
  format: p.format,
  status: p.status,
});
