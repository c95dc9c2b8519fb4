/**
 * Cognito's HTTP wire protocol: the JSON API (`POST /`, AWS JSON 1.1, the operation in `X-Amz-Target`), each
 * pool's JWKS and OpenID configuration at Cognito's paths, and the CORS preflight browsers send.
 */
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { CognitoError, CognitoErrors } from './cognito-error';
import { CognitoRequest } from './cognito-request';
import { IdentityState, LocalUserPool } from './identity-state';
import { corsOrigin } from '../loopback-request-policy';
import { OPERATIONS } from './operations/operation-table';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_REQUEST_BYTES = 1024 * 1024;
const WELL_KNOWN_PATH = /\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

export async function serveCognitoRequest(state: IdentityState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Browsers call Cognito cross-origin from the web client: an allowed page's origin is named, never `*`.
  const origin = corsOrigin(req);
  if (origin) res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', 'x-amzn-requestid, x-amzn-errortype');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'content-type, x-amz-target, x-amz-user-agent',
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const wellKnown = WELL_KNOWN_PATH.exec(path);
  if (req.method === 'GET' && wellKnown) {
    serveWellKnown(state, wellKnown[1], wellKnown[2], res);
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 404, { message: 'Not found' });
    return;
  }
  await serveOperation(state, req, res);
}

async function serveOperation(state: IdentityState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = await readJsonBody(req);
    if (!target.startsWith(TARGET_PREFIX)) throw new CognitoError('UnknownOperationException', 'Missing or unknown X-Amz-Target');
    const name = target.slice(TARGET_PREFIX.length);
    const operation = OPERATIONS.get(name);
    if (!operation) throw CognitoErrors.unknownOperation(name);
    sendJson(res, 200, operation(new CognitoRequest(body), state), { 'x-amzn-requestid': requestId });
  } catch (err) {
    // Only Cognito's own errors reach the client as they are; anything else is a bare internal error, its text never sent.
    const error = err instanceof CognitoError ? err : CognitoErrors.internal();
    sendJson(res, error.statusCode, { __type: error.type, message: error.message }, {
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.type,
    });
  }
}

function serveWellKnown(state: IdentityState, encodedPoolId: string, document: string, res: ServerResponse): void {
  let userPoolId: string;
  try {
    userPoolId = decodeURIComponent(encodedPoolId);
  } catch {
    // A malformed percent-escape; thrown from here it would be an unhandled rejection that ends the process.
    sendJson(res, 400, { message: 'Malformed path' });
    return;
  }
  if (!state.hasPool(userPoolId)) {
    sendJson(res, 404, { message: `User pool ${userPoolId} does not exist.` });
    return;
  }
  const pool = state.pool(userPoolId);
  sendJson(res, 200, document === 'jwks.json' ? jwksOf(pool) : openIdConfiguration(pool), {}, 'application/json');
}

export function jwksOf(pool: LocalUserPool) {
  return { keys: [pool.signingKey.publicJwk] };
}

function openIdConfiguration(pool: LocalUserPool) {
  return {
    issuer: pool.issuer,
    jwks_uri: `${pool.issuer}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    response_types_supported: ['code', 'token'],
  };
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw CognitoErrors.tooLarge();
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw CognitoErrors.serialization();
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {},
  contentType = 'application/x-amz-json-1.1'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
