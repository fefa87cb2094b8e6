import { InvalidInputError, type Person } from '@tandem/core';
import type { TenantStore } from '@tandem/store';

export const personEventData = (p: Person) => ({
  personId: p.id,
  email: p.email,
  department: p.department,
  status: p.status,
});

/** A manager must be another person of the same organization. */
export async function assertManager(store: TenantStore, personId: string, managerId: string | undefined) {
  if (managerId === undefined) return;
  if (managerId === personId)
    throw new InvalidInputError('A person cannot manage themselves', [
      { field: '/managerId', message: 'is the person itself' },
    ]);
  if (!(await store.people.exists(managerId)))
    throw new InvalidInputError(`No person ${managerId} in this organization`, [
      { field: '/managerId', message: 'must be a person of this organization' },
    ]);
}
