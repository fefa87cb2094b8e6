import { randomUUID } from 'node:crypto';
import { keys } from './keys.ts';
import type { WriteOp } from './transact.ts';

/**
 * Joins every write of what a health evaluation reads in a relationship's partition (agreement,
 * goals, meetings, feedback): a fresh random mark (`keys.healthInputs`). Random rather than a
 * counter, so that a mark lost or rewritten can never come back equal to one an evaluation stored.
 */
export const healthInputsChangedOp = (tenantId: string, relationshipId: string): WriteOp => ({
  item: {
    Put: {
      TableName: '',
      Item: { ...keys.healthInputs(tenantId, relationshipId), entity: 'healthInputs', mark: randomUUID() },
    },
  },
});
