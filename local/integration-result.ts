/**
 * What API Gateway reads of a Lambda integration's result (an `APIGatewayProxyResult`, or anything else a handler
 * returns): the `$connect` route's status code and `Sec-WebSocket-Protocol` header, a two-way route's reply.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { findHeaderName } from './api-gateway-events';

/** The result's `statusCode`; a result that is not an object with one is accepted as 200, as API Gateway does. */
export function integrationStatusCode(result: unknown): number {
  return isResult(result) && 'statusCode' in result ? Number(result.statusCode) : 200;
}

/** A response header of the result (names are case-insensitive), as a string. */
export function integrationHeader(result: unknown, name: string): string | undefined {
  if (!isResult(result) || !isObject(result.headers)) return undefined;
  const found = findHeaderName(result.headers, name);
  return found === undefined ? undefined : String(result.headers[found]);
}

/** What a two-way route sends back to the caller: a string result itself, else its `body`, as text. */
export function integrationReply(result: unknown): string | undefined {
  const reply = typeof result === 'string' ? result : isResult(result) ? result.body : undefined;
  if (reply === undefined || reply === null) return undefined;
  return typeof reply === 'string' ? reply : JSON.stringify(reply);
}

/** Only the fields of `APIGatewayProxyResult` can be read, so a misspelled one does not compile. */
function isResult(value: unknown): value is Partial<Record<keyof APIGatewayProxyResult, unknown>> {
  return isObject(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
