import { randomUUID } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { readBoundedBody } from './bounded-request-body';
import type { ManagementApiCounter } from './management-api-counter';

/** What the management API needs from the gateway that holds the connections. */
export interface ConnectionRegistry {
  readonly stage: string;
  /** Sends `data` to the connection; false when there is no such connection. */
  post(connectionId: string, data: Buffer): boolean;
  describe(connectionId: string): ConnectionDescription | undefined;
  /** Closes the connection (its `$disconnect` runs); false when there is no such connection. */
  disconnect(connectionId: string): boolean;
}

export interface ConnectionDescription {
  readonly connectedAt: Date;
  readonly lastActiveAt: Date;
  readonly sourceIp: string;
  readonly userAgent?: string;
}

/** API Gateway's limit on a message posted to a connection. */
export const MAX_POSTED_MESSAGE_BYTES = 128 * 1024;

/**
 * The `@connections` management API of one stage, on API Gateway's REST-JSON wire format, so the AWS SDK's
 * `ApiGatewayManagementApiClient` (endpoint = the stage's callback URL) works against it unchanged:
 * `POST|GET|DELETE /<stage>/@connections/<connectionId>`; an unknown connection is 410 `GoneException`.
 * Requests are SigV4-signed by the SDK; the signature is not checked (there is no IAM here).
 */
export async function handleManagementRequest(
  registry: ConnectionRegistry, request: IncomingMessage, response: ServerResponse, counter?: ManagementApiCounter,
): Promise<void> {
  const requestId = randomUUID();
  response.setHeader('x-amzn-RequestId', requestId);
  const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
  const prefix = registry.stage === '$default' ? '/@connections/' : `/${registry.stage}/@connections/`;
  if (!pathname.startsWith(prefix) || pathname.length === prefix.length) {
    // API Gateway's answer to any path that is not a management API resource.
    sendError(response, 403, 'ForbiddenException', 'Forbidden');
    request.resume();
    return;
  }
  const connectionId = decodedConnectionId(pathname.slice(prefix.length));
  if (connectionId === undefined) {
    sendError(response, 400, 'BadRequestException', 'Invalid connectionId');
    request.resume();
    return;
  }
  const body = await readBoundedBody(request, MAX_POSTED_MESSAGE_BYTES);
  if (request.method === 'POST' || request.method === 'GET' || request.method === 'DELETE') counter?.record(connectionId, request.method);

  switch (request.method) {
    case 'POST': {
      if (body === undefined) {
        sendError(response, 413, 'PayloadTooLargeException', 'Request entity too large');
      } else if (registry.post(connectionId, body)) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': 0 }).end();
      } else {
        sendError(response, 410, 'GoneException', '');
      }
      return;
    }
    case 'GET': {
      const description = registry.describe(connectionId);
      if (!description) {
        sendError(response, 410, 'GoneException', '');
        return;
      }
      // API Gateway's wire names are camelCase; the SDK maps them to ConnectedAt, Identity.SourceIp, ...
      const json = JSON.stringify({
        connectedAt: description.connectedAt.toISOString(),
        lastActiveAt: description.lastActiveAt.toISOString(),
        identity: { sourceIp: description.sourceIp, userAgent: description.userAgent },
      });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
      return;
    }
    case 'DELETE': {
      if (registry.disconnect(connectionId)) {
        response.writeHead(204).end();
      } else {
        sendError(response, 410, 'GoneException', '');
      }
      return;
    }
    default:
      sendError(response, 403, 'ForbiddenException', 'Forbidden');
  }
}

function decodedConnectionId(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function sendError(response: ServerResponse, status: number, errorType: string, message: string): void {
  const json = JSON.stringify({ message });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    // The SDK's REST-JSON protocol reads the error's name from this header.
    'x-amzn-ErrorType': errorType,
  }).end(json);
}
