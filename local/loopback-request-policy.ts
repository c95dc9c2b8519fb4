/**
 * Which requests the local runtime's listeners serve. They listen on 127.0.0.1 only, yet a web page the developer
 * happens to visit can still reach them from the developer's browser: through a DNS name of its own that it points
 * at 127.0.0.1 (DNS rebinding: the request then carries that name in `Host`), or by calling 127.0.0.1 from its own
 * origin (the request carries that origin in `Origin`, or `Sec-WebSocket-Origin` from old WebSocket clients). So
 * every request must name this machine in `Host`, and one that carries an origin is served only when that origin is
 * a loopback page or one the developer allowed. Requests without an origin (the AWS SDKs, `wscat`, `curl`) come from
 * programs on this machine, not from a web page, and are served as before.
 *
 * Every listener applies it: `listenOnLoopback` installs it in front of the server's own handlers.
 */
import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { Duplex } from 'stream';

/** `Host` values that name this machine: the loopback names, with any port. */
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i;
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The origins whose pages may call the runtime: every loopback page, and those the developer named. */
export class AllowedOrigins {
  /** Loopback pages only: `http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`. */
  static readonly LOOPBACK_ONLY = new AllowedOrigins([]);

  private readonly named: ReadonlySet<string>;

  /** `origins`: serialized origins such as `https://app.example.com:8443`, as `parseAllowedOrigin` accepts them. */
  constructor(origins: readonly string[]) {
    this.named = new Set(origins.map(parseAllowedOrigin));
  }

  allows(origin: string): boolean {
    return this.named.has(origin) || isLoopbackOrigin(origin);
  }
}

/**
 * An origin as a browser sends it (`scheme://host[:port]`, the port left out when it is the scheme's default), from
 * what a developer wrote (`--allow-origin`, `allowedOrigins`); anything else is refused with the rule and an example.
 */
export function parseAllowedOrigin(value: string): string {
  const url = parsedUrl(value);
  const bare = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !/[?#@]/.test(value);
  if (!url || !bare) {
    throw new Error(`allowed origin "${value}" is not an origin: give the scheme, host and port a browser sends in its Origin header, ` +
      'with no path, e.g. http://localhost:5173 or https://app.example.com');
  }
  return url.origin;
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Why a request is refused before any handler sees it: 400 for a request target no client sends, 403 otherwise. */
export interface RequestRefusal {
  readonly statusCode: 400 | 403;
  readonly reason: string;
}

/** The refusal of `request`, or undefined when it may be served. */
export function refusalOf(request: IncomingMessage, origins: AllowedOrigins): RequestRefusal | undefined {
  const host = request.headers.host;
  if (host !== undefined && !LOOPBACK_HOST.test(host)) return { statusCode: 403, reason: 'Host is not a loopback name' };
  const origin = request.headers.origin ?? request.headers['sec-websocket-origin'];
  if (typeof origin === 'string' && !origins.allows(origin)) return { statusCode: 403, reason: 'Origin is not allowed' };
  // Only an absolute path; one starting with two slashes would be read as a host by every URL parser after this.
  const target = request.url ?? '';
  if (!target.startsWith('/') || /^[/\\]{2}/.test(target)) return { statusCode: 400, reason: 'malformed request target' };
  return undefined;
}

/** Requests that passed the policy; only these may be given CORS headers. */
const served = new WeakSet<IncomingMessage>();

/**
 * The origin to name in `Access-Control-Allow-Origin` for this request: its `Origin` when the policy let the
 * request in, else undefined (no CORS headers). Never `*`: the answer must vary with the origin (`Vary: Origin`).
 */
export function corsOrigin(request: IncomingMessage): string | undefined {
  return served.has(request) ? request.headers.origin : undefined;
}

/**
 * Puts the policy in front of the server's request and upgrade handlers: a refused request is answered with its
 * status and a generic body, and never reaches them.
 */
export function applyRequestPolicy(server: Server, origins: AllowedOrigins): void {
  guard(server, 'request', origins, (refusal, _request, response: ServerResponse) => {
    response.writeHead(refusal.statusCode, { 'content-type': 'application/json', 'connection': 'close' }).end(refusalBody(refusal));
  });
  guard(server, 'upgrade', origins, (refusal, _request, socket: Duplex) => {
    socket.on('error', () => undefined);
    const body = refusalBody(refusal);
    socket.end(`HTTP/1.1 ${refusal.statusCode} ${refusal.statusCode === 400 ? 'Bad Request' : 'Forbidden'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

type Handler = (request: IncomingMessage, ...rest: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any -- Node's listener signature

function guard<T>(server: Server, event: 'request' | 'upgrade', origins: AllowedOrigins,
  refuse: (refusal: RequestRefusal, request: IncomingMessage, target: T) => void): void {
  const handlers = server.listeners(event) as Handler[];
  // A server without such handlers keeps Node's own answer (an upgrade nobody handles closes the socket).
  if (handlers.length === 0) return;
  server.removeAllListeners(event);
  server.on(event, (request: IncomingMessage, target: T, ...rest: unknown[]) => {
    const refusal = refusalOf(request, origins);
    if (refusal) {
      request.resume();
      refuse(refusal, request, target);
      return;
    }
    served.add(request);
    for (const handler of handlers) handler.call(server, request, target, ...rest);
  });
}

function refusalBody(refusal: RequestRefusal): string {
  return JSON.stringify({ message: refusal.statusCode === 400 ? 'Bad Request' : 'Forbidden' });
}

function isLoopbackOrigin(origin: string): boolean {
  const match = /^http:\/\/([^/:]+|\[[^\]]+\])(?::\d{1,5})?$/i.exec(origin);
  return match !== null && LOOPBACK_HOSTNAMES.has(match[1].toLowerCase());
}
