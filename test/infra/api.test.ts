import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedScalarBundle, SCALAR_BUNDLE_FILE } from '@tandem/api/docs-asset';
import { platformRateLimit, tenantTiers, tierRateLimits } from '@tandem/core';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { cdkContext, only, synthStage } from './synth.ts';

const functionNamed = (stage: string, name: string) =>
  only(synthStage(stage as 'dev').template, 'AWS::Lambda::Function', {
    Properties: { FunctionName: `tandem-${stage}-${name}` },
  });

describe.each(stageNames)('API wiring (%s)', (stage) => {
  const config = cdkContext.stages[stage];

  it('runs both functions on Node 24, arm64, with its logging and tracing settings', () => {
    const { template } = synthStage(stage);
    for (const name of ['api', 'authorizer']) {
      const { Properties: fn } = only(template, 'AWS::Lambda::Function', {
        Properties: { FunctionName: `tandem-${stage}-${name}` },
      }).resource;
      expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(fn.Environment.Variables).toMatchObject({
        TABLE_NAME: { Ref: expect.stringMatching(/^DataTable/) },
        POWERTOOLS_SERVICE_NAME: `tandem-${name}`,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
      });
      // Source maps are read when a stack is (functions/stack-traces.ts), not by Node at every cold start.
      expect(fn.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      expect(fn.TracingConfig).toEqual(config.tracing ? { Mode: 'Active' } : undefined);
    }
  });

  it('gives each function its secret by ARN, never its value', () => {
    const { template } = synthStage(stage);
    const api = functionNamed(stage, 'api').resource.Properties.Environment.Variables;
    const authorizer = functionNamed(stage, 'authorizer').resource.Properties.Environment.Variables;
    const operatorKey = only(template, 'AWS::SecretsManager::Secret', {
      Properties: { Name: `tandem/${stage}/operator-key` },
    });
    const cursorSecret = only(template, 'AWS::SecretsManager::Secret', {
      Properties: { Name: `tandem/${stage}/cursor-secret` },
    });
    expect(authorizer.OPERATOR_KEY_SECRET_ARN).toEqual({ Ref: operatorKey.id });
    expect(api.CURSOR_SECRET_ARN).toEqual({ Ref: cursorSecret.id });
    expect(api.OPERATOR_KEY_SECRET_ARN).toBeUndefined();
    expect(authorizer.CURSOR_SECRET_ARN).toBeUndefined();
  });

  it('puts the REQUEST authorizer, with a short cache keyed on the Authorization header, before every /v1 route', () => {
    const { template } = synthStage(stage);
    const authorizerFn = functionNamed(stage, 'authorizer').id;
    const authorizer = only(template, 'AWS::ApiGateway::Authorizer');
    expect(authorizer.resource.Properties).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: config.api.authorizerCacheSeconds,
      AuthorizerUri: { 'Fn::Join': ['', expect.arrayContaining([{ 'Fn::GetAtt': [authorizerFn, 'Arn'] }])] },
    });
    // Revocation and suspension take effect within seconds in AWS too (docs/rotation.md).
    expect(config.api.authorizerCacheSeconds).toBeLessThanOrEqual(10);

    const v1 = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: 'v1' } });
    const proxy = only(template, 'AWS::ApiGateway::Resource', {
      Properties: { PathPart: '{proxy+}', ParentId: { Ref: v1.id } },
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      ResourceId: { Ref: proxy.id },
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: authorizer.id },
      Integration: {
        Type: 'AWS_PROXY',
        Uri: {
          'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionNamed(stage, 'api').id, 'Arn'] }])],
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [authorizerFn, 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it('puts /scim/v2 behind the same REQUEST authorizer, into the API function', () => {
    const { template } = synthStage(stage);
    const resources = template.toJSON().Resources;
    const authorizer = only(template, 'AWS::ApiGateway::Authorizer');
    const scim = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: 'scim' } });
    const v2 = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: 'v2' } });
    expect(v2.resource.Properties.ParentId).toEqual({ Ref: scim.id });
    const proxies = Object.entries(
      template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: '{proxy+}' } }),
    ).filter(([, resource]: [string, any]) => resource.Properties.ParentId.Ref === v2.id);
    expect(proxies).toHaveLength(1);
    const methods = Object.values(resources).filter(
      (r: any) =>
        r.Type === 'AWS::ApiGateway::Method' &&
        r.Properties.HttpMethod !== 'OPTIONS' &&
        r.Properties.ResourceId?.Ref === proxies[0]![0],
    );
    expect(methods).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          HttpMethod: 'ANY',
          AuthorizationType: 'CUSTOM',
          AuthorizerId: { Ref: authorizer.id },
          Integration: expect.objectContaining({
            Type: 'AWS_PROXY',
            Uri: {
              'Fn::Join': [
                '',
                expect.arrayContaining([{ 'Fn::GetAtt': [functionNamed(stage, 'api').id, 'Arn'] }]),
              ],
            },
          }),
        }),
      }),
    ]);
  });

  it('lets the authorizer resolve participants: single reads, and a Query of issuer lookups only', () => {
    const { template } = synthStage(stage);
    const role = functionNamed(stage, 'authorizer').resource.Properties.Role['Fn::GetAtt'][0];
    const statements = only(template, 'AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }).resource
      .Properties.PolicyDocument.Statement;
    const table = only(template, 'AWS::DynamoDB::Table').id;
    const tableArn = { 'Fn::GetAtt': [table, 'Arn'] };
    // Person, email and external id lookups, tenant status: GetItem on the table's items.
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn });
    // The providers that trust a token's issuer: a Query pinned to the platform's issuer partitions.
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: tableArn,
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ISSUER#*'] },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      },
    });
    // Never the indexes, never a write.
    const actions = statements.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
  });

  it('serves only the OpenAPI document, its reference, calendar feeds, HRIS webhooks and certificate links without credentials', () => {
    const { template } = synthStage(stage);
    const open = Object.values(
      template.findResources('AWS::ApiGateway::Method', { Properties: { AuthorizationType: 'NONE' } }),
    )
      .filter((method: any) => method.Properties.HttpMethod !== 'OPTIONS')
      .map((method: any) => method.Properties.ResourceId.Ref);
    const paths = open.map((id) => template.toJSON().Resources[id].Properties.PathPart).sort();
    expect(paths).toEqual(['docs', 'openapi.json', 'scalar.js', 'webhooks', '{feed}', '{link}']);
  });

  it('opens POST /v1/hris/{connectionId}/webhooks to HR systems without the authorizer, and nothing else there', () => {
    const { template } = synthStage(stage);
    const resources = template.toJSON().Resources;
    const v1 = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: 'v1' } });
    const hris = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: 'hris' } });
    const connection = only(template, 'AWS::ApiGateway::Resource', {
      Properties: { PathPart: '{connectionId}' },
    });
    const webhooks = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: 'webhooks' } });
    expect(hris.resource.Properties.ParentId).toEqual({ Ref: v1.id });
    expect(connection.resource.Properties.ParentId).toEqual({ Ref: hris.id });
    expect(webhooks.resource.Properties.ParentId).toEqual({ Ref: connection.id });
    const methodsOn = (id: string) =>
      Object.values<any>(resources).filter(
        (r) =>
          r.Type === 'AWS::ApiGateway::Method' &&
          r.Properties.ResourceId?.Ref === id &&
          r.Properties.HttpMethod !== 'OPTIONS',
      );
    expect(methodsOn(hris.id)).toEqual([]);
    expect(methodsOn(connection.id)).toEqual([]);
    const methods = methodsOn(webhooks.id);
    expect(methods).toHaveLength(1);
    expect(methods[0].Properties).toMatchObject({
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
      Integration: {
        Type: 'AWS_PROXY',
        Uri: {
          'Fn::Join': [
            '',
            expect.arrayContaining([{ 'Fn::GetAtt': [functionNamed(stage, 'api').id, 'Arn'] }]),
          ],
        },
      },
    });
    expect(methods[0].Properties.AuthorizerId).toBeUndefined();
    expect(methods[0].Properties.ApiKeyRequired).not.toBe(true);
  });

  it('opens GET /v1/calendar-feeds/{feed} to calendar apps without the authorizer, and nothing else there', () => {
    const { template } = synthStage(stage);
    const resources = template.toJSON().Resources;
    const v1 = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: 'v1' } });
    const feeds = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: 'calendar-feeds' } });
    const feed = only(template, 'AWS::ApiGateway::Resource', { Properties: { PathPart: '{feed}' } });
    expect(feeds.resource.Properties.ParentId).toEqual({ Ref: v1.id });
    expect(feed.resource.Properties.ParentId).toEqual({ Ref: feeds.id });
    const methods = Object.values<any>(resources).filter(
      (r) =>
        r.Type === 'AWS::ApiGateway::Method' &&
        r.Properties.ResourceId?.Ref === feed.id &&
        r.Properties.HttpMethod !== 'OPTIONS',
    );
    expect(methods).toHaveLength(1);
    expect(methods[0].Properties).toMatchObject({
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: {
        Type: 'AWS_PROXY',
        Uri: {
          'Fn::Join': [
            '',
            expect.arrayContaining([{ 'Fn::GetAtt': [functionNamed(stage, 'api').id, 'Arn'] }]),
          ],
        },
      },
    });
    expect(methods[0].Properties.AuthorizerId).toBeUndefined();
  });

  it('logs every request with the tenant id and throttles the stage', () => {
    const { template } = synthStage(stage);
    const logs = only(template, 'AWS::Logs::LogGroup', {
      Properties: { LogGroupName: `/tandem/${stage}/api-access` },
    });
    const apiStage = only(template, 'AWS::ApiGateway::Stage').resource.Properties;
    expect(apiStage.StageName).toBe(stage);
    expect(apiStage.TracingEnabled).toBe(config.tracing);
    expect(apiStage.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [logs.id, 'Arn'] });
    expect(JSON.parse(apiStage.AccessLogSetting.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      tenantId: '$context.authorizer.tenantId',
    });
    expect(apiStage.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: config.api.throttle.rateLimit,
        ThrottlingBurstLimit: config.api.throttle.burstLimit,
      }),
    ]);
  });

  it("binds every /v1 caller to a usage plan: each tier's numbers from @tandem/core, keys named by the authorizer", () => {
    const { template } = synthStage(stage);
    const apiStage = only(template, 'AWS::ApiGateway::Stage');
    for (const [tier, limit] of Object.entries(tierRateLimits))
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        UsagePlanName: `tandem-${stage}-${tier}`,
        Throttle: { RateLimit: limit.rateLimit, BurstLimit: limit.burstLimit },
        Quota: { Limit: limit.dailyQuota, Period: 'DAY' },
        ApiStages: [{ ApiId: Match.anyValue(), Stage: { Ref: apiStage.id } }],
      });
    const platform = only(template, 'AWS::ApiGateway::UsagePlan', {
      Properties: { UsagePlanName: `tandem-${stage}-platform` },
    });
    expect(platform.resource.Properties.Throttle).toEqual({
      RateLimit: platformRateLimit.rateLimit,
      BurstLimit: platformRateLimit.burstLimit,
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', tenantTiers.length + 1);

    // The platform's usage key sits in its plan; the authorizer returns its value for non-tenant callers.
    const key = only(template, 'AWS::ApiGateway::ApiKey');
    expect(key.resource.Properties).toMatchObject({ Enabled: true, Value: `tandem-${stage}-platform-usage` });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', {
      KeyId: { Ref: key.id },
      KeyType: 'API_KEY',
      UsagePlanId: { Ref: platform.id },
    });
    const authorizerEnv = functionNamed(stage, 'authorizer').resource.Properties.Environment.Variables;
    expect(authorizerEnv.PLATFORM_USAGE_KEY).toBe(`tandem-${stage}-platform-usage`);

    // Keys come from the authorizer (usageIdentifierKey), never from a client's x-api-key header.
    expect(only(template, 'AWS::ApiGateway::RestApi').resource.Properties.ApiKeySourceType).toBe(
      'AUTHORIZER',
    );
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      AuthorizationType: 'CUSTOM',
      ApiKeyRequired: true,
    });
    // Routes without the authorizer have no usage key to count against: requiring one would refuse them.
    for (const method of Object.values<any>(template.findResources('AWS::ApiGateway::Method')))
      if (method.Properties.AuthorizationType !== 'CUSTOM')
        expect(method.Properties.ApiKeyRequired).not.toBe(true);

    // The API function moves tenants' keys between the plans, which it finds by name.
    const api = functionNamed(stage, 'api');
    expect(api.resource.Properties.Environment.Variables.USAGE_PLAN_NAME_PREFIX).toBe(`tandem-${stage}-`);
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        policy.Properties.Roles.some(
          (role: any) => role.Ref === api.resource.Properties.Role['Fn::GetAtt'][0],
        ),
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const apigateway = statements
      .filter((statement) => String(statement.Action).startsWith('apigateway:'))
      .map((statement) => [statement.Action, JSON.stringify(statement.Resource)]);
    expect(apigateway.map(([action]) => action).sort()).toEqual([
      'apigateway:DELETE',
      'apigateway:GET',
      'apigateway:POST',
    ]);
    expect(apigateway.find(([action]) => action === 'apigateway:DELETE')![1]).toContain(
      '::/usageplans/*/keys/*',
    );
    expect(apigateway.find(([action]) => action === 'apigateway:POST')![1]).toContain('::/apikeys');
  });

  it('tells a throttled caller when to retry', () => {
    const { template } = synthStage(stage);
    for (const [type, seconds] of [
      ['THROTTLED', '1'],
      ['QUOTA_EXCEEDED', '3600'],
    ])
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: '429',
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': `'${seconds}'` }),
      });
  });

  it('answers gateway errors as problem+json', () => {
    const { template } = synthStage(stage);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
      }),
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"status":401') },
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
    });
  });
});

// The one synth here that bundles the functions. What esbuild makes of them does not depend on the
// stage (infra/constructs/function.ts bundles from the entry and its files alone; a stage's
// settings reach a function as its environment, checked per stage above), so one stage's bundles
// stand for all. Beside other files on a loaded 2-core machine this synth ran past the infra
// project's 90 s hang catcher.
describe('API bundles', () => {
  it('bundles both functions as minified ESM with source maps, the SDK left to the runtime', {
    timeout: 300_000,
  }, () => {
    const stage = 'prod';
    const { app, template } = synthStage(stage, { bundle: true });
    for (const name of ['api', 'authorizer']) {
      const { Properties: fn } = only(template, 'AWS::Lambda::Function', {
        Properties: { FunctionName: `tandem-${stage}-${name}` },
      }).resource;
      const asset = join(app.outdir, `asset.${String(fn.Code.S3Key).replace(/\.zip$/, '')}`);
      const bundle = readFileSync(join(asset, 'index.mjs'), 'utf8');
      const chunks = new Map(
        readdirSync(join(asset, 'chunks'))
          .filter((file) => file.endsWith('.mjs'))
          .map((file) => [file, readFileSync(join(asset, 'chunks', file), 'utf8')]),
      );
      const code = [bundle, ...chunks.values()];
      for (const file of ['index.mjs', ...[...chunks.keys()].map((chunk) => `chunks/${chunk}`)]) {
        expect(
          readFileSync(join(asset, file), 'utf8').startsWith("import { createRequire } from 'node:module';"),
        ).toBe(true);
        expect(existsSync(join(asset, `${file}.map`))).toBe(true);
      }
      // Workspace packages are bundled from their TypeScript sources; the runtime's AWS SDK is not.
      for (const module of code) expect(module).not.toMatch(/from\s*"@tandem\//);
      expect(code.some((module) => /from\s*"@aws-sdk\/client-dynamodb"/.test(module))).toBe(true);
      // Minified: newlines survive only inside template literals (counted over every module: the
      // API's entry is small since its route groups are chunks, and keeps the docs page's template).
      const all = code.join('\n');
      expect(all.length / all.split('\n').length).toBeGreaterThan(1000);
      // The Tracer (and the X-Ray SDK under it) is a chunk that only a dynamic import loads, where the stage traces.
      expect(bundle).toMatch(/import\("\.\/chunks\/esm-[A-Z0-9]+\.mjs"\)/);
      const xray = (module: string) => module.includes('AWS_XRAY_CONTEXT_MISSING');
      expect([...chunks].filter(([, module]) => xray(module)).map(([file]) => file)).toEqual([
        expect.stringMatching(/^esm-/),
      ]);
      expect(xray(bundle)).toBe(false);
      // zod's messages in other languages are left out (Polish is one of them).
      expect(code.some((module) => module.includes('Nieprawid'))).toBe(false);
      // The API loads the SFN and SQS clients with the first request that needs them, not at init.
      if (name === 'api')
        for (const client of ['client-sfn', 'client-sqs']) {
          expect(bundle).toContain(`import("@aws-sdk/${client}")`);
          const staticImport = new RegExp(`from\\s*"@aws-sdk/${client}"`);
          // The matching and recognition starters (SFN), or the delivery and HRIS queues (SQS), nothing else.
          const importers = [...chunks]
            .filter(([, module]) => staticImport.test(module))
            .map(([file]) => file);
          if (client === 'client-sqs')
            expect(importers).toEqual([
              expect.stringMatching(/^hris-sqs-/),
              expect.stringMatching(/^sqs-queue-/),
            ]);
          else {
            expect(importers.length).toBeGreaterThan(0);
            for (const file of importers) expect(file).toMatch(/^sfn-starter-/);
          }
        }
      // The KMS client loads with the first secret sealed or opened, not at init: its one importer is
      // a chunk the entry loads lazily.
      if (name === 'api') {
        const kms = /from\s*"@aws-sdk\/client-kms"/;
        expect([...chunks].filter(([, module]) => kms.test(module)).map(([file]) => file)).toEqual([
          expect.stringMatching(/^kms-data-keys-/),
        ]);
        expect(kms.test(bundle)).toBe(false);
        expect(bundle).toMatch(/import\("\.\/chunks\/kms-data-keys-[A-Z0-9]+\.mjs"\)/);
      }
      // /docs reads the pinned reference UI from beside the bundle, where there is no node_modules: the
      // lookup is relative to the module holding it, which must be index.mjs rather than a chunk.
      if (name === 'api') {
        expect(readFileSync(join(asset, SCALAR_BUNDLE_FILE))).toEqual(readFileSync(installedScalarBundle()));
        expect(bundle).toContain(SCALAR_BUNDLE_FILE);
      }
    }
  });
});

describe('API per stage', () => {
  it('answers CORS preflights only where origins are configured', () => {
    const dev = synthStage('dev');
    const prod = synthStage('prod');
    expect(cdkContext.stages.dev.api.cors).toBeDefined();
    expect(cdkContext.stages.prod.api.cors).toBeUndefined();

    dev.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: {
        Type: 'MOCK',
        IntegrationResponses: [
          Match.objectLike({
            ResponseParameters: Match.objectLike({
              'method.response.header.Access-Control-Allow-Origin': `'${cdkContext.stages.dev.api.cors.allowOrigins[0]}'`,
            }),
          }),
        ],
      },
    });
    expect(functionNamed('dev', 'api').resource.Properties.Environment.Variables.CORS_ALLOW_ORIGINS).toBe(
      cdkContext.stages.dev.api.cors.allowOrigins.join(','),
    );
    expect(
      Object.keys(
        prod.template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }),
      ),
    ).toEqual([]);
    expect(
      functionNamed('prod', 'api').resource.Properties.Environment.Variables.CORS_ALLOW_ORIGINS,
    ).toBeUndefined();
  });

  it('puts a web ACL with a per-IP rate limit in front of staging and prod, not dev', () => {
    for (const stage of ['staging', 'prod'] as const) {
      const { template } = synthStage(stage);
      const acl = only(template, 'AWS::WAFv2::WebACL');
      expect(acl.resource.Properties.Rules[0].Statement.RateBasedStatement).toEqual({
        AggregateKeyType: 'IP',
        Limit: cdkContext.stages[stage].api.waf.ipRateLimitPer5Minutes,
      });
      const apiStage = only(template, 'AWS::ApiGateway::Stage');
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: { 'Fn::GetAtt': [acl.id, 'Arn'] },
        ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: apiStage.id }])] },
      });
    }
    synthStage('dev').template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });
});
