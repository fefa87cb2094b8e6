import { Validations } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { synthesizeOne, synthStage, withStage } from './synth.ts';

describe.each(stageNames)('cdk-nag AwsSolutions (%s)', (stage) => {
  it('has no unacknowledged finding', () => {
    const { stack } = synthStage(stage);
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.ruleName} at ${resource.resourceLogicalId}`,
      ),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgment a written reason', () => {
    const { stack } = synthStage(stage);
    const acknowledgments = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries<any>(entry.data));
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [id, acknowledgment] of acknowledgments) {
      const reason = typeof acknowledgment === 'string' ? acknowledgment : acknowledgment.reason;
      expect(reason, id).toMatch(/\w+ \w+ \w+ \w+ \w+/);
    }
  });
});

describe('cdk-nag check', () => {
  it('reports a finding nobody acknowledged', () => {
    const { stack } = synthesizeOne(withStage('dev', () => {}));
    new Topic(stack, 'Plain');
    const rules = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.map((violation) => violation.ruleName);
    expect(rules).toContain('AwsSolutions-SNS3');
  });
});
