import { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * The handlers' DynamoDB client. Without timeouts a request whose answer is lost waits until the function's
 * 10 s timeout, and the handler never gets to clean up. A connections-table call takes milliseconds; these
 * bounds leave a put and a delete, each with its retry, under 10 s together.
 */
export const DYNAMODB_CONNECT_TIMEOUT_MS = 1_000;
export const DYNAMODB_REQUEST_TIMEOUT_MS = 1_500;
/** The first attempt and one retry (the SDK's default is three). */
export const DYNAMODB_MAX_ATTEMPTS = 2;

export function createDynamoDbClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: DYNAMODB_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: DYNAMODB_CONNECT_TIMEOUT_MS,
      requestTimeout: DYNAMODB_REQUEST_TIMEOUT_MS,
      // Without it the SDK only warns on a request timeout and keeps waiting.
      throwOnRequestTimeout: true,
    },
    ...config,
  });
}
