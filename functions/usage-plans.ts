import {
  type APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  GetUsagePlansCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import type { RateLimitBinding } from '@tandem/app';
import { type TenantTier, tenantTiers } from '@tandem/core';

/** The API Gateway calls that binding needs: the one boundary tests replace with a double. */
export interface UsagePlanGateway {
  /** Usage plan ids by name. */
  plans(): Promise<Map<string, string>>;
  /** The id of the API key named `name`, created (enabled, with `value`) when there is none. */
  ensureKey(name: string, value: string): Promise<string>;
  /** Both idempotent: adding a key already in the plan, or removing one not in it, is no change. */
  addKey(planId: string, keyId: string): Promise<void>;
  removeKey(planId: string, keyId: string): Promise<void>;
}

/**
 * A tenant's requests count against one API Gateway API key whose value is its tenant id (the
 * authorizer returns it as `usageIdentifierKey`; clients never send it, so it is no credential),
 * and that key sits in exactly one usage plan: its tier's. Tier changes move it at run time.
 * Plan names follow the stack (`<prefix><tier>`), since their ids cannot reach the API
 * function's environment without a dependency cycle (function → plan → stage → function).
 */
export function usagePlanBinding(gateway: UsagePlanGateway, namePrefix: string): RateLimitBinding {
  let planIds: Promise<Map<string, string>> | undefined;
  return {
    async bind(tenantId: string, tier: TenantTier) {
      planIds ??= gateway.plans().catch((error: unknown) => {
        planIds = undefined;
        throw error;
      });
      const plans = await planIds;
      const planOf = (t: TenantTier) => {
        const id = plans.get(`${namePrefix}${t}`);
        if (!id) throw new Error(`No usage plan ${namePrefix}${t}`);
        return id;
      };
      const keyId = await gateway.ensureKey(`${namePrefix}${tenantId}`, tenantId);
      // Into the new plan first: between the two calls the key counts in two plans, never in none.
      await gateway.addKey(planOf(tier), keyId);
      for (const other of tenantTiers) if (other !== tier) await gateway.removeKey(planOf(other), keyId);
    },
  };
}

/** The SDK side of UsagePlanGateway. */
export function sdkUsagePlanGateway(client: APIGatewayClient): UsagePlanGateway {
  return {
    async plans() {
      const plans = new Map<string, string>();
      let position: string | undefined;
      do {
        const page = await client.send(new GetUsagePlansCommand({ limit: 500, position }));
        for (const plan of page.items ?? []) if (plan.name && plan.id) plans.set(plan.name, plan.id);
        position = page.position;
      } while (position);
      return plans;
    },
    async ensureKey(name, value) {
      const found = await client.send(new GetApiKeysCommand({ nameQuery: name, limit: 500 }));
      const existing = found.items?.find((key) => key.name === name)?.id;
      if (existing) return existing;
      const created = await client.send(new CreateApiKeyCommand({ name, value, enabled: true }));
      if (!created.id) throw new Error(`API Gateway created key ${name} without an id`);
      return created.id;
    },
    async addKey(usagePlanId, keyId) {
      await client
        .send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId, keyType: 'API_KEY' }))
        .catch(ignore(ConflictException));
    },
    async removeKey(usagePlanId, keyId) {
      await client
        .send(new DeleteUsagePlanKeyCommand({ usagePlanId, keyId }))
        .catch(ignore(NotFoundException));
    },
  };
}

const ignore =
  (kind: new (...args: never[]) => Error) =>
  (error: unknown): void => {
    if (!(error instanceof kind)) throw error;
  };
