import { installedScalarBundle, SCALAR_BUNDLE_FILE } from '@tandem/api/docs-asset';
import {
  platformRateLimit,
  type RateLimit,
  type TenantTier,
  tenantTiers,
  tierRateLimits,
} from '@tandem/core';
import { ISSUER_PARTITION_PREFIX } from '@tandem/store';
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  ApiKey,
  ApiKeySourceType,
  AuthorizationType,
  Cors,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Period,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';
import { tandemFunction } from './function.ts';
import { itemActions, type TandemTable } from './table.ts';

export interface TandemApiProps {
  stage: string;
  config: StageConfig;
  data: TandemTable;
}

/**
 * Gateway-made errors (bad credentials, throttling, unknown paths) answer in the API's problem+json
 * shape too. A throttled request may retry once its bucket refills (a second at most at any tier's
 * rate); an exhausted daily quota resets at midnight UTC, which a static header cannot compute, so
 * it says an hour.
 */
const gatewayProblems: { type: ResponseType; status: number; title: string; retryAfter?: number }[] = [
  { type: ResponseType.UNAUTHORIZED, status: 401, title: 'Unauthorized' },
  { type: ResponseType.ACCESS_DENIED, status: 403, title: 'Forbidden' },
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, title: 'Not Found' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, title: 'Content Too Large' },
  { type: ResponseType.THROTTLED, status: 429, title: 'Too Many Requests', retryAfter: 1 },
  { type: ResponseType.QUOTA_EXCEEDED, status: 429, title: 'Too Many Requests', retryAfter: 3600 },
  { type: ResponseType.DEFAULT_5XX, status: 502, title: 'Bad Gateway' },
];

const problemTemplate = (status: number, title: string) =>
  `{"type":"about:blank","title":"${title}","status":${status},"detail":$context.error.messageString,` +
  `"instance":"$context.path","requestId":"$context.requestId"}`;

/**
 * The REST API: API Gateway → REQUEST Lambda authorizer → the hono app in one Lambda function.
 * Secrets the functions need are generated here and read by the functions at cold start.
 */
export class TandemApi extends Construct {
  readonly restApi: RestApi;
  readonly handler: LambdaFunction;
  readonly authorizerFunction: LambdaFunction;
  readonly operatorKey: Secret;
  /** Seals list cursors; every function that builds tenant repositories reads it. */
  readonly cursorSecret: Secret;
  readonly usagePlans: Record<TenantTier, UsagePlan>;
  /** Operator calls and tokens that name nobody: the plan of the platform's own usage key. */
  readonly platformPlan: UsagePlan;

  constructor(scope: Construct, id: string, { stage, config, data }: TandemApiProps) {
    super(scope, id);
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.operatorKey = new Secret(this, 'OperatorKey', {
      secretName: `tandem/${stage}/operator-key`,
      description: 'The platform operator key: Bearer token for /v1/tenants',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    const cursorSecret = new Secret(this, 'CursorSecret', {
      secretName: `tandem/${stage}/cursor-secret`,
      description: 'Seals list cursors so clients cannot forge or reuse them across tenants',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    this.cursorSecret = cursorSecret;
    // Rotated with an overlap: functions accept the current and the previous value (functions/secrets.ts).
    const rotation = tandemFunction(this, 'SecretRotationFunction', {
      stage,
      config,
      name: 'secret-rotation',
      memorySize: 256,
      timeout: Duration.seconds(30),
      reservedConcurrency: config.concurrency.secretRotation,
      environment: {},
    });
    for (const secret of [this.operatorKey, cursorSecret])
      secret.addRotationSchedule('Rotation', {
        rotationLambda: rotation,
        automaticallyAfter: Duration.days(SECRET_ROTATION_DAYS),
        rotateImmediatelyOnUpdate: false,
      });
    Validations.of(rotation).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'secretsmanager:GetRandomPassword, which generates the new value, acts on no resource and takes only "*".',
    });

    this.authorizerFunction = tandemFunction(this, 'AuthorizerFunction', {
      stage,
      config,
      name: 'authorizer',
      memorySize: 512,
      timeout: Duration.seconds(5),
      reservedConcurrency: config.concurrency.authorizer,
      environment: {
        TABLE_NAME: data.table.tableName,
        OPERATOR_KEY_SECRET_ARN: this.operatorKey.secretArn,
        // No longer than API Gateway's own cache of the verdict, so revocation stays bounded by that TTL.
        AUTHORIZER_CACHE_SECONDS: String(config.api.authorizerCacheSeconds),
        PLATFORM_USAGE_KEY: platformUsageKey(stage),
      },
    });
    // The authorizer reads single items: a key's lookup item and its tenant's status, and for a
    // participant's token the person's email or external id lookup, the person and the tenant.
    this.authorizerFunction.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [data.table.tableArn] }),
    );
    // Its one Query: the identity providers that trust a token's issuer, in the issuer lookup
    // partitions only.
    this.authorizerFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [data.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${ISSUER_PARTITION_PREFIX}*`] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
    );
    data.grantKeyUse(this.authorizerFunction, 'read');
    this.operatorKey.grantRead(this.authorizerFunction);

    this.handler = tandemFunction(this, 'ApiFunction', {
      stage,
      config,
      name: 'api',
      memorySize: 1024,
      timeout: Duration.seconds(28),
      // /docs serves the pinned reference UI from the function's own files, never from a CDN.
      bundledFiles: { [SCALAR_BUNDLE_FILE]: installedScalarBundle() },
      reservedConcurrency: config.concurrency.api,
      environment: {
        TABLE_NAME: data.table.tableName,
        CURSOR_SECRET_ARN: cursorSecret.secretArn,
        USAGE_PLAN_NAME_PREFIX: `tandem-${stage}-`,
        ...(config.api.cors ? { CORS_ALLOW_ORIGINS: config.api.cors.allowOrigins.join(',') } : {}),
      },
    });
    // Platform access: the operator routes (tenant directory, key lookups) and, when tenants are not
    // isolated in IAM, tenant requests too.
    this.handler.addToRolePolicy(
      new PolicyStatement({ actions: [...itemActions], resources: data.itemResources }),
    );
    data.grantKeyUse(this.handler, 'readWrite');
    data.acknowledgeIndexWildcard(this.handler);
    cursorSecret.grantRead(this.handler);
    data.grantSealing(this.handler);
    this.grantUsagePlanKeys(this.handler);

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/tandem/${stage}/api-access`,
      retention: config.logRetentionDays,
      removalPolicy,
    });

    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: `tandem-${stage}`,
      description: `Tandem REST API (${stage})`,
      endpointTypes: [EndpointType.REGIONAL],
      // Usage plans count each request against the key the authorizer names (its tenant's).
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      // Logging to CloudWatch needs API Gateway's account-wide role. It is kept on stack deletion because
      // other stages in the same account and region rely on the same account setting.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: stage,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            time: AccessLogField.contextRequestTime(),
            sourceIp: AccessLogField.contextIdentitySourceIp(),
            method: AccessLogField.contextHttpMethod(),
            path: AccessLogField.contextPath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            latencyMs: AccessLogField.contextResponseLatency(),
            tenantId: AccessLogField.contextAuthorizer('tenantId'),
            principalId: AccessLogField.contextAuthorizerPrincipalId(),
            authorizerError: AccessLogField.contextAuthorizerError(),
            error: AccessLogField.contextErrorMessage(),
          }),
        ),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: config.tracing,
        throttlingRateLimit: config.api.throttle.rateLimit,
        throttlingBurstLimit: config.api.throttle.burstLimit,
      },
      ...(config.api.cors
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: config.api.cors.allowOrigins,
              allowHeaders: [...Cors.DEFAULT_HEADERS, 'Idempotency-Key', 'If-Match'],
              allowMethods: Cors.ALL_METHODS,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Requests are validated by the API function against the zod schemas every route declares, which also ' +
        'produce the field-level problem+json errors; a gateway validator would duplicate them with worse errors.',
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Callers authenticate with Tandem API keys (and later OIDC tokens of each tenant’s own identity provider), ' +
        'which the REQUEST Lambda authorizer resolves; a Cognito user pool has no role in that.',
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'The AWS-managed policy is the documented minimum for API Gateway’s account-wide logging role.',
    });

    for (const { type, status, title, retryAfter } of gatewayProblems)
      this.restApi.addGatewayResponse(`${title.replaceAll(' ', '')}${status}${type.responseType}`, {
        type,
        statusCode: String(status),
        responseHeaders: {
          'Content-Type': "'application/problem+json'",
          ...(retryAfter ? { 'Retry-After': `'${retryAfter}'` } : {}),
          // Gateway-made errors carry no data: echoing the Origin only lets a browser read why a call failed.
          ...(config.api.cors ? { 'Access-Control-Allow-Origin': 'method.request.header.Origin' } : {}),
        },
        templates: { 'application/json': problemTemplate(status, title) },
      });

    const authorizer = new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: `tandem-${stage}`,
      handler: this.authorizerFunction,
      // The verdict is an API-wide policy, so it may be reused for any route with the same credential.
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.seconds(config.api.authorizerCacheSeconds),
    });

    const integration = new LambdaIntegration(this.handler, { proxy: true, allowTestInvoke: false });
    const v1 = this.restApi.root.addResource('v1');
    v1.addProxy({
      anyMethod: true,
      defaultIntegration: integration,
      defaultMethodOptions: { authorizer, authorizationType: AuthorizationType.CUSTOM, apiKeyRequired: true },
    });
    // SCIM 2.0 for identity providers: the same authorizer, which resolves the tenant's SCIM token
    // (a `scim` principal that reaches these routes only) and lets a refused SCIM token through
    // as `unmapped`, so that the API function answers it with a SCIM Error body, as Okta checks.
    this.restApi.root
      .addResource('scim')
      .addResource('v2')
      .addProxy({
        anyMethod: true,
        defaultIntegration: integration,
        defaultMethodOptions: { authorizer, authorizationType: AuthorizationType.CUSTOM },
      });
    // Calendar apps subscribe to a feed URL without credentials: the token in the path is the
    // credential, which the API function checks against its stored hash. Only GET is open; any
    // other method on this path has no integration and answers 404.
    const calendarFeed = v1.addResource('calendar-feeds').addResource('{feed}');
    const feedMethod = calendarFeed.addMethod('GET', integration, {
      authorizationType: AuthorizationType.NONE,
    });
    Validations.of(feedMethod).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'GET /v1/calendar-feeds/{feed} is read by calendar apps, which send no Authorization header; the ' +
        '256-bit token in the path is the credential, stored only as a hash, revocable and rotatable.',
    });
    Validations.of(feedMethod).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'The feed token is the credential; a Cognito user pool has no role in that.',
    });
    // HR systems post their webhooks without Tandem credentials: the connection id in the path names
    // the connection and the provider's signature over the body (checked by the API function) is the
    // credential. Only POST is open; any other method on this path has no integration and answers 404.
    const hrisWebhook = v1
      .addResource('hris')
      .addResource('{connectionId}')
      .addResource('webhooks')
      .addMethod('POST', integration, { authorizationType: AuthorizationType.NONE });
    Validations.of(hrisWebhook).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'POST /v1/hris/{connectionId}/webhooks is called by HR systems, which send no Tandem credentials; the ' +
        "API function verifies the provider's HMAC signature (or static token) over the exact body with the connection's secrets.",
    });
    Validations.of(hrisWebhook).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: "The provider's signature is the credential; a Cognito user pool has no role in that.",
    });
    // A certificate link in `recognition.awarded` is opened without credentials (a chat message's
    // reader clicks it): the HMAC-signed, expiring token in the path is the credential.
    const certificateLink = v1.addResource('certificates').addResource('{link}');
    const linkMethod = certificateLink.addMethod('GET', integration, {
      authorizationType: AuthorizationType.NONE,
    });
    Validations.of(linkMethod).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'GET /v1/certificates/{link} is opened from a chat message without an Authorization header; the ' +
        'HMAC-signed token in the path, bound to one award and an expiry, is the credential.',
    });
    Validations.of(linkMethod).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'The signed link is the credential; a Cognito user pool has no role in that.',
    });
    // The OpenAPI document and its browsable reference are public, as they are locally.
    const docs = this.restApi.root.addResource('docs');
    const documentation = {
      'openapi.json': this.restApi.root.addResource('openapi.json'),
      docs,
      'docs/scalar.js': docs.addResource('scalar.js'),
    };
    for (const [path, resource] of Object.entries(documentation)) {
      const method = resource.addMethod('GET', integration);
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `GET /${path} is public documentation of the API.`,
      });
    }
    for (const preflight of this.restApi.methods.filter((method) => method.httpMethod === 'OPTIONS'))
      Validations.of(preflight).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'CORS preflight requests carry no credentials by design; the mock integration reaches no backend.',
      });

    const usagePlan = (id: string, name: string, limit: RateLimit) =>
      this.restApi.addUsagePlan(id, {
        name: `tandem-${stage}-${name}`,
        description: `Throttle and quota of each ${name} caller (tierRateLimits in @tandem/core)`,
        throttle: { rateLimit: limit.rateLimit, burstLimit: limit.burstLimit },
        ...(limit.dailyQuota ? { quota: { limit: limit.dailyQuota, period: Period.DAY } } : {}),
        apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
      });
    // Tenants' keys are created and moved between these plans at run time (see functions/usage-plans.ts).
    this.usagePlans = Object.fromEntries(
      tenantTiers.map((tier) => [tier, usagePlan(`${tier}Plan`, tier, tierRateLimits[tier])]),
    ) as Record<TenantTier, UsagePlan>;
    this.platformPlan = usagePlan('PlatformPlan', 'platform', platformRateLimit);
    this.platformPlan.addApiKey(
      new ApiKey(this, 'PlatformUsageKey', {
        apiKeyName: `tandem-${stage}-platform`,
        description: 'Counts operator calls and participant tokens that name nobody; never sent by clients',
        value: platformUsageKey(stage),
      }),
    );
  }

  /**
   * The API function creates each tenant's usage key and moves it between the tier plans. Plan ids
   * are wildcards: naming them would make the function depend on the stage, which depends on it.
   */
  private grantUsagePlanKeys(fn: LambdaFunction) {
    const arn = (path: string) => `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::${path}`;
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['apigateway:GET'], resources: [arn('/usageplans'), arn('/apikeys')] }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['apigateway:POST'],
        resources: [arn('/apikeys'), arn('/usageplans/*/keys')],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [arn('/usageplans/*/keys/*')] }),
    );
    for (const path of ['/usageplans/*/keys', '/usageplans/*/keys/*'])
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::${path}]`,
        reason:
          'Tenant creation and tier changes put a tenant’s usage key into its tier’s plan; the plan ids cannot be ' +
          'named without a dependency cycle, and the actions reach only usage plan keys of this account and region.',
      });
  }
}

/** The overlap window: a rotated-out operator key or cursor secret keeps working until the next rotation. */
const SECRET_ROTATION_DAYS = 30;

/**
 * The value of the platform's usage key, which the authorizer returns as the usage identifier of
 * calls that belong to no tenant. Not a credential: with the AUTHORIZER key source, API Gateway
 * ignores keys that clients send. Per stage, as API key values are unique in an account and region.
 */
const platformUsageKey = (stage: string) => `tandem-${stage}-platform-usage`;
