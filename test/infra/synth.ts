import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { StageName } from '../../infra/stage-config.ts';
import { addStages } from '../../infra/stages.ts';
import type { TandemStack } from '../../infra/tandem-stack.ts';

/** The context `cdk synth` reads, so the tests check the stages as they are configured. */
export const cdkContext: Record<string, any> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

export interface Synthesized {
  app: App;
  stack: TandemStack;
  template: Template;
}

export function synthesize(context: Record<string, unknown>): Synthesized[] {
  const app = new App({ context });
  return addStages(app).map((stack) => ({ app, stack, template: Template.fromStack(stack) }));
}

/** The app of a context that selects one stage. */
export function synthesizeOne(context: Record<string, unknown>): Synthesized {
  const [synthesized, ...others] = synthesize(context);
  if (!synthesized || others.length > 0) throw new Error('Expected the context to select exactly one stage');
  return synthesized;
}

/**
 * CDK's own switch (what `cdk deploy --exclusively` uses) to leave stacks unbundled. Bundling costs
 * most of a synth and only changes the asset hashes, so only the tests that inspect bundles ask for it.
 */
const withoutBundling = { 'aws:cdk:bundling-stacks': [] };

const cache = new Map<string, Synthesized>();

/** Synthesized once per stage in each test worker (the infra project shares modules between files). */
export function synthStage(stage: StageName, { bundle = false } = {}): Synthesized {
  const key = `${stage}:${bundle}`;
  let synthesized = cache.get(key);
  if (!synthesized) {
    synthesized = synthesizeOne({ ...cdkContext, stage, ...(bundle ? {} : withoutBundling) });
    cache.set(key, synthesized);
  }
  return synthesized;
}

/** The context with one stage's settings changed. */
export function withStage(stage: StageName, change: (config: any) => void): Record<string, unknown> {
  const context = structuredClone(cdkContext);
  change(context.stages[stage]);
  return { ...context, stage, ...withoutBundling };
}

/** The one resource of a type (with optional properties filter); fails unless there is exactly one. */
export function only(template: Template, type: string, props?: unknown): { id: string; resource: any } {
  const found = Object.entries(template.findResources(type, props));
  if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, resource };
}
