/**
 * Preload (`node --require <bundle of this file>`) for the local runtime's Lambda worker processes.
 *
 * The deployed authorizer runs unchanged: aws-jwt-verify fetches
 * `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json` with
 * Node's `https.request(uri, options, callback)` (its `https-node` module). Inside
 * this process, exactly that call, for exactly that URL form, is answered by
 * `<CDK_COGNITO_WS_LOCAL_COGNITO_ENDPOINT>/<poolId>/.well-known/jwks.json` over
 * plain http. Every other request goes out as the handler made it. Without the
 * environment variable this preload changes nothing.
 */
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';

/** The http URL of the local identity endpoint (LocalIdentityProvider). */
export const LOCAL_COGNITO_ENDPOINT_ENV = 'CDK_COGNITO_WS_LOCAL_COGNITO_ENDPOINT';

const COGNITO_JWKS_URL = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/jwks\.json$/;

/** The local URL that answers a Cognito JWKS URL, or undefined for any other URL. */
export function localJwksUrl(requestedUrl: string, localEndpoint: string): string | undefined {
  const match = COGNITO_JWKS_URL.exec(requestedUrl);
  if (!match) {
    return undefined;
  }
  return `${localEndpoint.replace(/\/+$/, '')}/${match[1]}/.well-known/jwks.json`;
}

/**
 * Replaces `https.request` with one that diverts Cognito JWKS URLs to the local endpoint.
 * Returns a function that restores the original.
 */
export function interceptCognitoJwks(localEndpoint: string): () => void {
  if (!/^http:\/\//.test(localEndpoint)) {
    throw new Error(`${LOCAL_COGNITO_ENDPOINT_ENV} must be an http:// URL, got "${localEndpoint}"`);
  }
  const originalRequest = https.request;
  const divertingRequest = function request(this: unknown, ...args: unknown[]): http.ClientRequest {
    // Only the (url, options?, callback?) form that aws-jwt-verify uses names the URL unambiguously.
    const first = args[0];
    const requestedUrl = typeof first === 'string' ? first : first instanceof URL ? first.href : undefined;
    const target = requestedUrl === undefined ? undefined : localJwksUrl(requestedUrl, localEndpoint);
    if (target === undefined) {
      return (originalRequest as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    }
    const options = typeof args[1] === 'object' && args[1] !== null ? args[1] as https.RequestOptions : {};
    const callback = args.find((arg) => typeof arg === 'function') as ((res: http.IncomingMessage) => void) | undefined;
    // An https Agent or TLS settings cannot carry a plain http request; keep only method, headers and timeout.
    return http.request(target, { method: options.method ?? 'GET', headers: options.headers, timeout: options.timeout }, callback);
  };
  https.request = divertingRequest as typeof https.request;
  syncBuiltinESMExports();
  return () => {
    https.request = originalRequest;
    syncBuiltinESMExports();
  };
}

const configuredEndpoint = process.env[LOCAL_COGNITO_ENDPOINT_ENV];
if (configuredEndpoint) {
  interceptCognitoJwks(configuredEndpoint);
}
