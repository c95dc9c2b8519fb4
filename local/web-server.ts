/**
 * The local runtime's one HTTP port for browsers and SDKs: the example web client's files, `/config.json` (the
 * endpoints the web client connects to), and the Cognito-compatible identity endpoint (its JSON API, each pool's
 * JWKS and OpenID configuration).
 */
import { existsSync, readFileSync, statSync } from 'fs';
import { createServer, IncomingMessage, ServerResponse } from 'http';
import * as path from 'path';
import type { LocalIdentityProvider } from './identity';
import { listenOnLoopback } from './loopback-listener';
import { AllowedOrigins, corsOrigin } from './loopback-request-policy';

export interface WebServerOptions {
  /** @default 0 - an ephemeral port */
  readonly port?: number;
  /** Directory of the web client's files. @default - the package's example web client, if present */
  readonly webRoot?: string;
  readonly identity: Pick<LocalIdentityProvider, 'handleRequest'>;
  /** Pages that may call it from a browser. @default - loopback pages only */
  readonly allowedOrigins?: AllowedOrigins;
}

export interface WebServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`: the Cognito-compatible endpoint (`CognitoIdentityProviderClient`'s `endpoint`). */
  readonly cognitoEndpoint: string;
  /** What `/config.json` serves from now on (`{}` until then). */
  serveConfig(config: object): void;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const webRoot = options.webRoot ?? findWebRoot();
  let config: object = {};
  const server = createServer((request, response) => {
    serve(request, response, options.identity, webRoot, config).catch((error) => {
      // A malformed request (a bad percent-escape in the path) must not become an unhandled rejection, which ends the process.
      if (!response.headersSent) response.writeHead(error instanceof URIError ? 400 : 500, { 'content-type': 'text/plain' });
      response.end();
    });
  });
  const listener = await listenOnLoopback(server, options.port, options.allowedOrigins);
  return {
    url: `http://127.0.0.1:${listener.port}/`,
    cognitoEndpoint: `http://127.0.0.1:${listener.port}`,
    serveConfig: (served) => {
      config = served;
    },
    close: listener.close,
  };
}

function findWebRoot(): string | undefined {
  // Bundled: assets/local/web (copied at build time); from source: examples/web.
  const candidates = [path.join(__dirname, 'web'), path.join(__dirname, '..', 'examples', 'web')];
  return candidates.find((candidate) => existsSync(path.join(candidate, 'index.html')));
}

async function serve(request: IncomingMessage, response: ServerResponse, identity: WebServerOptions['identity'],
  webRoot: string | undefined, config: object): Promise<void> {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  // An allowed page on another port (a dev server) may read the files and /config.json too.
  const origin = corsOrigin(request);
  if (origin) response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Vary', 'Origin');
  if (request.method === 'POST' || request.method === 'OPTIONS' || pathname.includes('/.well-known/')) {
    await identity.handleRequest(request, response);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  if (pathname === '/config.json') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(config));
    return;
  }
  const file = webRoot ? path.join(webRoot, pathname === '/' ? 'index.html' : pathname) : undefined;
  // Only files inside the web root, never a path that climbs out of it.
  if (!file || !file.startsWith(webRoot + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  const body = readFileSync(file);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
  }).end(request.method === 'HEAD' ? undefined : body);
}
