import {
  ArnPrincipal,
  type IGrantable,
  type IRole,
  PolicyDocument,
  PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { itemActions, type TandemTable } from './table.ts';

/** The session tag the API function sets to the caller's tenant id when it assumes the role. */
export const TENANT_TAG = 'TenantId';

/**
 * Every tenant item's partition key is `T#<tenantId>` or starts with `T#<tenantId>#`. IAM pins each
 * request to those keys of the tenant named in the session tag. STS only accepts letters, digits,
 * spaces and `_.:/=+-@` in tag values, so a tag can never smuggle a `*` or `?` wildcard in here.
 */
export const tenantLeadingKeys = [
  `T#\${aws:PrincipalTag/${TENANT_TAG}}`,
  `T#\${aws:PrincipalTag/${TENANT_TAG}}#*`,
];

export interface TenantDataRoleProps {
  stage: string;
  data: TandemTable;
  /** The execution role of the function that assumes this role for each tenant. */
  assumedBy: IRole;
}

/**
 * Tenant isolation in IAM: the role reaches only the items of the tenant in its session tag, so a
 * bug that builds another tenant's key is refused by DynamoDB instead of leaking data.
 */
export class TenantDataRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, { stage, data, assumedBy }: TenantDataRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      description: `Tandem ${stage}: one tenant's items, chosen by the ${TENANT_TAG} session tag`,
      assumedBy: new ArnPrincipal(assumedBy.roleArn)
        .withConditions({ StringLike: { [`aws:RequestTag/${TENANT_TAG}`]: 'ten_*' } })
        .withSessionTags(),
      inlinePolicies: {
        TenantItems: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'OwnTenantItemsOnly',
              actions: [...itemActions],
              resources: data.itemResources,
              conditions: {
                'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': tenantLeadingKeys },
                // ForAllValues is true for a request without keys; this makes a partition key mandatory.
                Null: { 'dynamodb:LeadingKeys': 'false' },
              },
            }),
          ],
        }),
      },
    });
    data.grantKeyUse(this.role, 'readWrite');
    data.acknowledgeIndexWildcard(this.role);
  }

  /** Lets the function assume the role with a session tag and tells it the role's ARN. */
  grantAssume(fn: LambdaFunction & IGrantable): void {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [this.role.roleArn] }),
    );
    fn.addEnvironment('TENANT_ROLE_ARN', this.role.roleArn);
  }
}
