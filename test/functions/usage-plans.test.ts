import { describe, expect, test } from 'vitest';
import { type UsagePlanGateway, usagePlanBinding } from '../../functions/usage-plans.ts';

/**
 * API Gateway cannot run locally: this double keeps plans and their keys in memory, with the
 * idempotence the SDK adapter gives the real calls (a repeated add or remove is no change).
 */
function gatewayDouble() {
  const plans = new Map([
    ['tandem-test-free', 'p-free'],
    ['tandem-test-standard', 'p-standard'],
    ['tandem-test-enterprise', 'p-enterprise'],
    ['tandem-other-free', 'p-other'],
  ]);
  const keys = new Map<string, { id: string; value: string }>();
  const members = new Map<string, Set<string>>([...plans.values()].map((id) => [id, new Set()]));
  const gateway: UsagePlanGateway = {
    plans: async () => plans,
    async ensureKey(name, value) {
      const key = keys.get(name) ?? { id: `k-${keys.size + 1}`, value };
      keys.set(name, key);
      return key.id;
    },
    addKey: async (planId, keyId) => void members.get(planId)!.add(keyId),
    removeKey: async (planId, keyId) => void members.get(planId)!.delete(keyId),
  };
  const plansOf = (keyId: string) => [...members].filter(([, ids]) => ids.has(keyId)).map(([plan]) => plan);
  return { gateway, keys, plansOf };
}

describe('binding tenants to usage plans', () => {
  test("a tenant's key, valued with its id, is in its tier's plan only, and moves on a tier change", async () => {
    const { gateway, keys, plansOf } = gatewayDouble();
    const binding = usagePlanBinding(gateway, 'tandem-test-');
    await binding.bind('ten_A', 'free');
    await binding.bind('ten_B', 'enterprise');
    expect(keys.get('tandem-test-ten_A')).toEqual({ id: 'k-1', value: 'ten_A' });
    expect(plansOf('k-1')).toEqual(['p-free']);
    expect(plansOf('k-2')).toEqual(['p-enterprise']);

    await binding.bind('ten_A', 'standard');
    expect(plansOf('k-1')).toEqual(['p-standard']);
    // Repeating a bind (the operator retrying a PATCH) changes nothing and creates no second key.
    await binding.bind('ten_A', 'standard');
    expect(plansOf('k-1')).toEqual(['p-standard']);
    expect(keys.size).toBe(2);
  });

  test('a missing plan is an error, not a tenant left without limits', async () => {
    const { gateway } = gatewayDouble();
    await expect(usagePlanBinding(gateway, 'tandem-prod-').bind('ten_A', 'free')).rejects.toThrow(
      'No usage plan tandem-prod-free',
    );
  });
});
