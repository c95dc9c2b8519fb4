/**
 * What Lambda gives a function behind a function URL (the payload format 2.0 event) and how it reads the function's
 * result: an object with `statusCode` is the response; anything else is a 200 JSON body, as Lambda infers it.
 */
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { dictionary } from './api-gateway-events';
import { randomId } from './ids';

/** Where the request came in: the URL's id (the first label of its host in AWS) and this machine's host. */
export interface FunctionUrlStage {
  readonly urlId: string;
  readonly accountId: string;
  readonly domainName: string;
}

/** Content types Lambda passes as text; any other body arrives base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

export function functionUrlEvent(stage: FunctionUrlStage, request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers = dictionary<string>();
  const cookies: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i].toLowerCase();
    const value = request.rawHeaders[i + 1];
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((cookie) => cookie.trim()).filter(Boolean));
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query = dictionary<string>();
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const now = new Date();
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: stage.accountId,
      apiId: stage.urlId,
      domainName: stage.domainName,
      domainPrefix: stage.urlId,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomId(16),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}

/** The HTTP response for a function's result. */
export interface FunctionUrlResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

export function functionUrlResponse(result: unknown): FunctionUrlResponse {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    // Lambda's inference: the result itself is the JSON body of a 200.
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const response = result as Exclude<APIGatewayProxyResultV2, string>;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (response.cookies?.length) headers['set-cookie'] = response.cookies;
  const text = response.body ?? '';
  return {
    statusCode: Number(response.statusCode),
    headers,
    body: response.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text),
  };
}
