import { Fetcher } from 'aws-jwt-verify/https';
import { CLIENT_ID, SECOND_CLIENT_ID, USER_POOL_ID } from './cognito-test-tokens';
import { ConnectAuthorizerEvent, createAuthorizer } from '../../lambda/authorizer/authorize-connect';
import { readAuthorizerConfig } from '../../lambda/authorizer/authorizer-config';
import { createCognitoTokenVerifier } from '../../lambda/authorizer/cognito-token-verifier';
import { LogWriter, writeJsonLogLine } from '../../lambda/structured-log';
import { ConnectRequestTokenSources } from '../../lambda/token-source';

export const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/$connect';

/** A $connect REQUEST authorizer event as API Gateway sends it, with the given carriers. */
export function connectEvent(carriers: ConnectRequestTokenSources, connectionId = 'Conn-0001='): ConnectAuthorizerEvent {
  const baseHeaders: Record<string, string> = {
    'Host': 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
  };
  const headers = { ...baseHeaders, ...(carriers.headers ?? {}) } as Record<string, string>;
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    multiValueHeaders[name] = [value];
  }
  Object.assign(multiValueHeaders, carriers.multiValueHeaders ?? {});
  const queryStringParameters = (carriers.queryStringParameters ?? null) as Record<string, string> | null;
  let multiValueQueryStringParameters = (carriers.multiValueQueryStringParameters ?? null) as Record<string, string[]> | null;
  if (!multiValueQueryStringParameters && queryStringParameters) {
    multiValueQueryStringParameters = Object.fromEntries(Object.entries(queryStringParameters).map(([k, v]) => [k, [v]]));
  }
  return {
    methodArn: METHOD_ARN,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    requestContext: { connectionId, routeKey: '$connect' },
  };
}

/** The environment the construct gives the authorizer, sample-compatible unless overridden. */
export function authorizerEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    USER_POOL_ID,
    CLIENT_IDS: `${CLIENT_ID}, ${SECOND_CLIENT_ID}`,
    TOKEN_USE: 'id',
    TOKEN_SOURCE_KIND: 'querystring',
    TOKEN_SOURCE_NAME: 'idToken',
    REQUIRED_GROUPS: '',
    ...overrides,
  };
}

/** A JWKS transport that answers from memory and counts its downloads (the network boundary). */
export class InMemoryJwksTransport implements Fetcher {
  static serving(jwks: unknown): InMemoryJwksTransport {
    return new InMemoryJwksTransport(async () => bytes(JSON.stringify(jwks)));
  }
  downloads = 0;
  constructor(public answer: () => Promise<ArrayBuffer>) {}
  fetch(): Promise<ArrayBuffer> {
    this.downloads++;
    return this.answer();
  }
}

function bytes(text: string): ArrayBuffer {
  const buf = Buffer.from(text, 'utf8');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/**
 * The authorizer as index.ts builds it; the JWKS comes from `transport` if given (else from the production fetcher),
 * and is pre-cached if given.
 */
export function buildAuthorizer(options: {
  env?: Record<string, string>;
  transport?: Fetcher;
  cachedJwks?: unknown;
  log?: LogWriter;
  /** The clock of the JWKS's maximum age. */
  now?: () => number;
}) {
  const config = readAuthorizerConfig(authorizerEnv(options.env));
  const verifier = createCognitoTokenVerifier(config, { transport: options.transport, now: options.now });
  if (options.cachedJwks) {
    verifier.cacheJwks(options.cachedJwks as Parameters<typeof verifier.cacheJwks>[0]);
  }
  return createAuthorizer({ config, verifier, log: options.log ?? writeJsonLogLine });
}

/** Captures everything written to stdout (the handlers' log lines) while `run` runs. */
export async function captureStdout<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  (process.stdout as any).write = (chunk: unknown, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  try {
    const result = await run();
    return { result, lines: chunks.join('').split('\n').filter((line) => line !== '') };
  } finally {
    (process.stdout as any).write = original;
  }
}
