import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  /** Set for DynamoDB Local; absent in AWS, where the SDK resolves the regional endpoint. */
  endpoint?: string;
  region?: string;
  credentials?: DynamoDBClientConfig['credentials'];
}

/** DynamoDB Local accepts any static credentials; `-sharedDb` makes them irrelevant. */
const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * DynamoDB Local (and its streams endpoint) refuses a request without an Authorization header
 * naming an access key but never checks the signature, so local clients send a constant one.
 * Signing (a payload hash and a chain of HMACs per request) was about a quarter of the SDK's own
 * CPU per call against DynamoDB Local, where the tests and `npm start` make hundreds of thousands.
 */
export const dynamoDbLocalSigner = {
  sign: async <Request extends { headers: Record<string, string> }>(request: Request) => {
    request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';
    return request;
  },
};

export function createDynamoClient(connection: DynamoConnection = {}): DynamoDBClient {
  const client = new DynamoDBClient({
    region: connection.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(connection.endpoint
      ? { endpoint: connection.endpoint, credentials: localCredentials, signer: dynamoDbLocalSigner }
      : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
  });
  // The SDK's logger middleware builds a redacted copy of every request and response for the
  // client's logger, the default no-op one included: on a Query it walks every item returned,
  // which cost more Node CPU than decoding them. No SDK call is logged here, so it goes.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
