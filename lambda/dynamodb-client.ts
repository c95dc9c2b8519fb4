import { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * The handlers' DynamoDB client. Without timeouts a request whose answer is lost waits until the function's
 * 10 s timeout, and the handler never gets to clean up. A connections-table call takes milliseconds; these
 * bounds leave a put and a delete, each with its retries and their backoff (well under a second), under 7 s.
 */
export const DYNAMODB_CONNECT_TIMEOUT_MS = 500;
export const DYNAMODB_REQUEST_TIMEOUT_MS = 1_000;
/** The first attempt and two retries: enough to ride out a short burst of throttling. */
export const DYNAMODB_MAX_ATTEMPTS = 3;

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
