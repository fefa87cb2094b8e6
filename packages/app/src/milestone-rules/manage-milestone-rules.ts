import { domainEvent, type MilestoneRule, type MilestoneRuleInput, newId } from '@tandem/core';
import type { Page, PageRequest } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { assertVersion, type Precondition, readModifyWrite } from '../versioned.ts';

/** Adds a milestone rule to a program; it applies from the next event that concerns the program. */
export async function createMilestoneRule(
  ctx: TenantContext,
  programId: string,
  input: MilestoneRuleInput,
): Promise<MilestoneRule> {
  await ctx.store.programs.get(programId);
  const now = ctx.clock().toISOString();
  const value: MilestoneRule = {
    id: newId('milestoneRule'),
    programId,
    kind: input.kind,
    name: input.name,
    ...('count' in input ? { count: input.count } : {}),
    ...(input.awardTypeId !== undefined ? { awardTypeId: input.awardTypeId } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await ctx.store.milestoneRules.create(
    value,
    domainEvent('milestone_rule.created', {
      ruleId: value.id,
      programId,
      kind: value.kind,
      ...(value.awardTypeId !== undefined ? { awardTypeId: value.awardTypeId } : {}),
    }),
  );
  return value;
}

export async function listMilestoneRules(
  ctx: TenantContext,
  programId: string,
  page: PageRequest,
): Promise<Page<MilestoneRule>> {
  await ctx.store.programs.get(programId);
  return ctx.store.milestoneRules.list(programId, page);
}

/** Removes a rule: nobody earns by it from now on; what was earned by it stays earned. */
export function deleteMilestoneRule(
  ctx: TenantContext,
  programId: string,
  ruleId: string,
  precondition: Precondition,
): Promise<void> {
  return readModifyWrite(precondition, async () => {
    const current = await ctx.store.milestoneRules.get(programId, ruleId);
    assertVersion(current, precondition);
    await ctx.store.milestoneRules.delete(
      current,
      domainEvent('milestone_rule.deleted', { ruleId, programId }),
    );
  });
}
