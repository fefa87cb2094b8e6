import { tableDefinition } from '@tandem/store';
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type CfnTable,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';

/** Every item-level action Tandem uses. Scan is deliberately absent: nothing may read across tenants. */
export const itemActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

const streamViewTypes: Record<(typeof tableDefinition)['streamViewType'], StreamViewType> = {
  NEW_AND_OLD_IMAGES: StreamViewType.NEW_AND_OLD_IMAGES,
};

export interface TandemTableProps {
  stage: string;
  config: StageConfig;
}

/** The single table, built from the same definition the local bootstrap uses. */
export class TandemTable extends Construct {
  readonly table: Table;
  /**
   * Seals the secrets items keep to use again (webhook signing secrets, HR systems' keys and API
   * credentials; packages/store/src/secret-sealer.ts), whatever key encrypts the table: who can read
   * an item, a backup or the stream still cannot read them without this key.
   */
  readonly sealingKey: Key;

  constructor(scope: Construct, id: string, { stage, config }: TandemTableProps) {
    super(scope, id);
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const encryptionKey =
      config.table.encryption === 'customer-managed'
        ? new Key(this, 'Key', {
            alias: `alias/tandem-${stage}-table`,
            description: `Encrypts the Tandem ${stage} table`,
            enableKeyRotation: true,
            removalPolicy,
          })
        : undefined;

    // Kept like the table: a sealed secret does not open without the key that made its data key.
    this.sealingKey = new Key(this, 'SealingKey', {
      alias: `alias/tandem-${stage}-secrets`,
      description: `Seals the secrets Tandem ${stage} stores (webhook signing secrets, HR systems' keys and credentials)`,
      enableKeyRotation: true,
      removalPolicy,
    });

    this.table = new Table(this, 'Table', {
      tableName: `tandem-${stage}`,
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      stream: streamViewTypes[tableDefinition.streamViewType],
      ...(encryptionKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey }
        : { encryption: TableEncryption.AWS_MANAGED }),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.table.pointInTimeRecovery },
      deletionProtection: config.table.deletionProtection,
      removalPolicy,
    });
    for (const index of tableDefinition.globalSecondaryIndexes)
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    if (!config.table.pointInTimeRecovery)
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason: `The ${stage} stage holds disposable data; stages with real data enable point-in-time recovery.`,
      });
  }

  /** ARNs that item actions apply to: the table and its indexes (Query on GSI1). */
  get itemResources(): string[] {
    return [this.table.tableArn, `${this.table.tableArn}/index/*`];
  }

  /** For a grantee of `itemResources`: the index wildcard is why nag's IAM5 fires, and why it is fine. */
  acknowledgeIndexWildcard(scope: Construct): void {
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.table.node.defaultChild as CfnTable)}.Arn>/index/*]`,
      reason:
        'Queries use the table’s global secondary indexes (all defined in the shared table definition); ' +
        'the wildcard covers only indexes of this one table.',
    });
  }

  /**
   * For a function that seals or opens stored secrets: data keys from the sealing key, only with
   * the encryption context the sealer sends (functions/kms-data-keys.ts), so the grant opens nothing else.
   */
  grantSealing(grantee: IGrantable & { addEnvironment(key: string, value: string): unknown }): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.sealingKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'tandem-stored-secrets' } },
      }),
    );
    grantee.addEnvironment('SEALING_KEY_ARN', this.sealingKey.keyArn);
  }

  /** With a customer-managed key, reading or writing items also needs the key (the same actions as Table's own grants). */
  grantKeyUse(grantee: IGrantable & IConstruct, access: 'read' | 'readWrite'): void {
    const key = this.table.encryptionKey;
    if (!key) return;
    if (access === 'read') {
      key.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey');
      return;
    }
    key.grantEncryptDecrypt(grantee);
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*'])
      Validations.of(grantee).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'Encrypt/decrypt on the table’s own key: the action family aws-cdk-lib grants for table writes.',
      });
  }
}
