/**
 * The @connections management API client the runtime API builds when it is given none: one per
 * `WebSocketConnections`, its sockets kept alive and shared by every call, as many as the fan-out runs at once.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';

/** A management API call that has not connected within this is given up (and retried as a transient failure). */
export const CONNECT_TIMEOUT_MS = 1_000;
/** A call that has not been answered within this is given up, well inside a Lambda function's timeout. */
export const REQUEST_TIMEOUT_MS = 3_000;

/**
 * `maxAttempts: 1`: the runtime API owns the retries, so it sees a 410 on the first answer and applies one retry
 * policy rather than the SDK's on top of its own.
 */
export function createManagementApiClient(
  callbackUrl: string, maxSockets: number, requestTimeoutMs: number = REQUEST_TIMEOUT_MS,
): ApiGatewayManagementApiClient {
  const agentOptions = { keepAlive: true, maxSockets };
  return new ApiGatewayManagementApiClient({
    endpoint: callbackUrl,
    region: regionOfCallbackUrl(callbackUrl),
    maxAttempts: 1,
    requestHandler: {
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: requestTimeoutMs,
      // Without it, newer SDKs only warn on a request timeout and keep waiting.
      throwOnRequestTimeout: true,
    },
  });
}

/**
 * The region of `https://<api>.execute-api.<region>.amazonaws.com/<stage>` (the request is signed for it); for a
 * custom domain, undefined: the SDK then takes the region from the environment (`AWS_REGION`).
 */
export function regionOfCallbackUrl(callbackUrl: string): string | undefined {
  return /^https:\/\/[^./]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?(\/|$)/.exec(callbackUrl)?.[1];
}
