import * as z from 'zod';
import { entityMeta, text } from './common.ts';
import { idSchema } from './id-schema.ts';
import { mergePatchSchema } from './patch.ts';
import { tenantStatuses, tenantTiers } from './tiers.ts';

const tenantFields = {
  name: text(200).meta({ example: 'Acme Corp' }),
  tier: z.enum(tenantTiers).default('standard'),
};

export const tenantInput = z.strictObject(tenantFields).meta({ id: 'TenantInput' });
export type TenantInput = z.infer<typeof tenantInput>;

export const tenantPatch = mergePatchSchema({
  ...tenantFields,
  status: z
    .enum(tenantStatuses)
    .meta({ description: 'A suspended tenant’s keys stop working until it is reactivated' }),
}).meta({ id: 'TenantPatch' });

export const tenant = z
  .strictObject({ id: idSchema('tenant'), ...tenantFields, status: z.enum(tenantStatuses), ...entityMeta })
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof tenant>;
