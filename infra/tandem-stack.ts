import { Aws, CfnOutput, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TandemApi } from './constructs/api.ts';
import { EventReactions } from './constructs/event-reactions.ts';
import { Hris } from './constructs/hris.ts';
import { MatchingWorkflow } from './constructs/matching-workflow.ts';
import { Observability } from './constructs/observability.ts';
import { RecognitionWorkflow } from './constructs/recognition-workflow.ts';
import { ScheduledJob } from './constructs/scheduled-job.ts';
import { TandemTable } from './constructs/table.ts';
import { TenantDataRole } from './constructs/tenant-data-role.ts';
import { WebAcl } from './constructs/web-acl.ts';
import { Webhooks } from './constructs/webhooks.ts';
import type { StageConfig, StageName } from './stage-config.ts';

export interface TandemStackProps extends StackProps {
  stage: StageName;
  config: StageConfig;
}

/** One stage of Tandem. Each capability is a construct; later capabilities add theirs here. */
export class TandemStack extends Stack {
  constructor(scope: Construct, id: string, props: TandemStackProps) {
    const { stage, config } = props;
    super(scope, id, {
      ...props,
      description: `Tandem peer mentoring API (${stage})`,
      terminationProtection: config.terminationProtection,
    });
    Tags.of(this).add('project', 'tandem');
    Tags.of(this).add('stage', stage);

    const data = new TandemTable(this, 'Data', { stage, config });
    const api = new TandemApi(this, 'Api', { stage, config, data });
    if (config.tenantScopedCredentials) {
      const tenantData = new TenantDataRole(this, 'TenantData', {
        stage,
        data,
        assumedBy: api.handler.role!,
      });
      tenantData.grantAssume(api.handler);
    }
    if (config.api.waf)
      new WebAcl(this, 'Firewall', {
        stage,
        stageArn: api.restApi.deploymentStage.stageArn,
        ipRateLimitPer5Minutes: config.api.waf.ipRateLimitPer5Minutes,
      });
    else
      Validations.of(api.restApi.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: `The ${stage} stage has no web ACL to save its fixed monthly cost; stage throttling still applies.`,
      });

    const observability = new Observability(this, 'Observability', { stage, config });
    observability.watchApi(api.restApi, config.alarms.serverErrorRate);
    observability.watchFunction('api', api.handler, { errors: true });
    observability.watchFunction('authorizer', api.authorizerFunction, { errors: false });
    observability.watchTable(data.table);

    const webhooks = new Webhooks(this, 'Webhooks', {
      stage,
      config,
      data,
      cursorSecret: api.cursorSecret,
      observability,
    });
    webhooks.grantEnqueue(api.handler);

    const matching = new MatchingWorkflow(this, 'Matching', {
      stage,
      config,
      data,
      cursorSecret: api.cursorSecret,
      observability,
    });
    matching.grantStartStop(api.handler);

    const background = { stage, config, data, cursorSecret: api.cursorSecret, observability };
    new ScheduledJob(this, 'ScheduledJob', background);
    const eventReactions = new EventReactions(this, 'EventReactions', background);

    // Built from the API's id, not its URL: the URL names the deployment stage, which depends on the
    // API function, whose environment names this state machine.
    const recognition = new RecognitionWorkflow(this, 'Recognition', {
      ...background,
      publicApiUrl: `https://${api.restApi.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${stage}`,
    });
    recognition.grantStart(api.handler);
    recognition.grantReadCertificates(api.handler);
    recognition.grantStart(eventReactions.handler);

    const hris = new Hris(this, 'Hris', {
      stage,
      config,
      data,
      cursorSecret: api.cursorSecret,
      observability,
    });
    hris.grantSend(api.handler);

    new CfnOutput(this, 'ApiUrl', { value: api.restApi.url, description: 'Base URL; routes live under v1/' });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'OperatorKeySecretArn', {
      value: api.operatorKey.secretArn,
      description:
        'aws secretsmanager get-secret-value --secret-id <this> --query SecretString --output text',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: observability.topic.topicArn });
    new CfnOutput(this, 'WebhookQueueUrl', { value: webhooks.queue.queueUrl });
    new CfnOutput(this, 'MatchingStateMachineArn', {
      value: matching.stateMachine.stateMachineArn,
      description: 'Matching runs execute here; each execution is named after its run id',
    });
    for (const [tier, plan] of Object.entries(api.usagePlans))
      new CfnOutput(this, `UsagePlan${tier[0]!.toUpperCase()}${tier.slice(1)}`, {
        value: plan.usagePlanId,
        description: `API Gateway usage plan of ${tier} tenants`,
      });
  }
}
