import { randomBytes } from 'crypto';
import { createServer, IncomingMessage, Server, STATUS_CODES } from 'http';
import type { AddressInfo } from 'net';
import type { Duplex } from 'stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { ConnectionDescription, ConnectionRegistry, handleManagementRequest } from './management-api';

/** A route of the API and the function behind it. */
export interface GatewayRoute {
  readonly routeKey: string;
  /** The function of the route's Lambda integration; undefined for a route without one (it answers nothing). */
  readonly functionName?: string;
  /** The route has a route response: the integration's `body` is sent back to the caller. */
  readonly twoWay?: boolean;
}

/** The REQUEST Lambda authorizer of `$connect`. */
export interface GatewayAuthorizer {
  readonly functionName: string;
  /** e.g. `route.request.querystring.idToken`; a missing or empty one is a 401 without calling the authorizer. */
  readonly identitySource: string[];
}

export interface WebSocketGatewayOptions {
  readonly apiId: string;
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  /** e.g. `$request.body.action`. */
  readonly routeSelectionExpression: string;
  readonly routes: GatewayRoute[];
  readonly authorizer?: GatewayAuthorizer;
  /** Runs a Lambda function with an event; rejects when the invocation fails. */
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Closes a connection that received nothing for this long (API Gateway: 10 minutes). @default 600 */
  readonly idleTimeoutSeconds?: number;
  /** Closes a connection this old (API Gateway: 2 hours). @default 7200 */
  readonly maxConnectionAgeSeconds?: number;
  /** @default 32 KiB, API Gateway's frame limit */
  readonly maxFrameBytes?: number;
  /** @default 128 KiB, API Gateway's message limit */
  readonly maxMessageBytes?: number;
  /** One line per gateway event (JSON); never a token. @default - nothing is logged */
  readonly log?: (entry: Record<string, unknown>) => void;
}

/** What the gateway knows of a connection from its handshake; every later event repeats part of it. */
interface ConnectionFacts {
  readonly id: string;
  readonly connectedAt: Date;
  readonly sourceIp: string;
  readonly userAgent?: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly authorizer?: Record<string, unknown>;
}

interface LiveConnection extends ConnectionFacts {
  readonly socket: WebSocket;
  lastActiveAt: Date;
  idleTimer?: NodeJS.Timeout;
  ageTimer?: NodeJS.Timeout;
}

/** What the handshake decided, handed from the upgrade handler to `ws`. */
interface AcceptedHandshake {
  readonly connectionId: string;
  readonly authorizer?: Record<string, unknown>;
  readonly subprotocol?: string;
}

/** Thrown inside the handshake to answer the upgrade request with an HTTP status instead. */
class HandshakeRefusal extends Error {
  constructor(readonly statusCode: number, readonly reason: string) {
    super(reason);
  }
}

/**
 * One stage of an API Gateway WebSocket API on 127.0.0.1: the WebSocket endpoint at `/<stage>` with API Gateway's
 * events, authorizer, route selection and limits, and the stage's `@connections` management API on the same port.
 */
export class WebSocketGateway implements ConnectionRegistry {
  readonly stage: string;
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, LiveConnection>();
  private readonly handshakes = new WeakMap<IncomingMessage, AcceptedHandshake>();
  private readonly openSockets = new Set<Duplex>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly routes: Map<string, GatewayRoute>;
  private stopping = false;
  /** Kept from start(): server.address() is null once stop() closes the port, yet $disconnect events still name it. */
  private listeningPort = 0;

  constructor(private readonly options: WebSocketGatewayOptions) {
    this.stage = options.stage;
    this.routes = new Map(options.routes.map((route) => [route.routeKey, route]));
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes ?? 128 * 1024,
      // API Gateway compresses nothing; a client that offers permessage-deflate gets plain frames.
      perMessageDeflate: false,
      handleProtocols: (_protocols, request) => this.handshakes.get(request)?.subprotocol ?? false,
    });
    this.server = createServer((request, response) => {
      handleManagementRequest(this, request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    this.server.on('connection', (socket) => {
      this.openSockets.add(socket);
      socket.once('close', () => this.openSockets.delete(socket));
    });
    this.server.on('upgrade', (request, socket, head) => {
      // handleUpgrade answers every refusal itself; what throws before that (an unparsable request target) is a 400,
      // not a socket left waiting for an answer.
      this.track(this.handleUpgrade(request, socket, head).catch(() => refuseUpgrade(socket, 400)));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.listeningPort = (this.server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.listeningPort;
  }

  private get stagePath(): string {
    return this.stage === '$default' ? '' : `/${this.stage}`;
  }

  /** `ws://127.0.0.1:<port>/<stage>`, the local counterpart of `wss://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}${this.stagePath}`;
  }

  /** `http://127.0.0.1:<port>/<stage>`, the endpoint for `ApiGatewayManagementApiClient`. */
  get callbackUrl(): string {
    return `http://127.0.0.1:${this.port}${this.stagePath}`;
  }

  get connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  post(connectionId: string, data: Buffer): boolean {
    const connection = this.connections.get(connectionId);
    if (!connection || connection.socket.readyState !== WebSocket.OPEN) return false;
    // API Gateway delivers posted data as a text frame.
    connection.socket.send(data, { binary: false });
    return true;
  }

  describe(connectionId: string): ConnectionDescription | undefined {
    const connection = this.connections.get(connectionId);
    if (!connection) return undefined;
    const { connectedAt, lastActiveAt, sourceIp, userAgent } = connection;
    return { connectedAt, lastActiveAt, sourceIp, userAgent };
  }

  disconnect(connectionId: string): boolean {
    const connection = this.connections.get(connectionId);
    if (!connection) return false;
    connection.socket.close(1000, 'Going away');
    return true;
  }

  /** Closes every connection (each `$disconnect` runs), then the port; resolves when all is done. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.server.close();
    for (const connection of this.connections.values()) connection.socket.close(1001, 'Going away');
    const deadline = setTimeout(() => {
      for (const connection of this.connections.values()) connection.socket.terminate();
    }, 2000);
    // Each close event and each $disconnect arrives through I/O, so wait in macrotask steps.
    while (this.inFlight.size > 0 || this.connections.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    clearTimeout(deadline);
    for (const socket of this.openSockets) socket.destroy();
    this.wss.close();
  }

  /** Keeps a handshake, message or $disconnect in flight visible to stop(); each handles its own errors. */
  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.catch(() => undefined).finally(() => this.inFlight.delete(promise));
  }

  private log(entry: Record<string, unknown>): void {
    this.options.log?.({ apiId: this.options.apiId, stage: this.stage, ...entry });
  }

  private requestContext(connectionId: string, routeKey: string, eventType: string, connectedAt: number, sourceIp: string,
    userAgent: string | undefined, extra: Record<string, unknown> = {}) {
    const now = new Date();
    return {
      routeKey,
      eventType,
      extendedRequestId: randomId(16),
      requestTime: formatRequestTime(now),
      messageDirection: 'IN',
      stage: this.stage,
      connectedAt,
      requestTimeEpoch: now.getTime(),
      identity: { sourceIp, userAgent },
      requestId: randomId(16),
      domainName: `127.0.0.1:${this.port}`,
      connectionId,
      apiId: this.options.apiId,
      ...extra,
    };
  }

  private async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const connectionId = randomConnectionId();
    const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    const { headers, multiValueHeaders } = eventHeaders(request, this.port);
    const { queryStringParameters, multiValueQueryStringParameters } = eventQueryString(url);
    const userAgent = headers[findHeaderName(headers, 'user-agent') ?? ''];
    const connectedAt = Date.now();
    try {
      if (url.pathname !== (this.stagePath || '/')) throw new HandshakeRefusal(403, 'no such stage');
      const common = {
        headers,
        multiValueHeaders,
        ...(queryStringParameters ? { queryStringParameters, multiValueQueryStringParameters } : {}),
      };
      let authorizerContext: Record<string, unknown> | undefined;
      const authorizer = this.routes.has('$connect') ? this.options.authorizer : undefined;
      if (authorizer) {
        authorizerContext = await this.authorize(authorizer, {
          type: 'REQUEST',
          methodArn: `arn:aws:execute-api:${this.options.region}:${this.options.accountId}:${this.options.apiId}/${this.stage}/$connect`,
          ...common,
          queryStringParameters: queryStringParameters ?? {},
          multiValueQueryStringParameters: multiValueQueryStringParameters ?? {},
          stageVariables: {},
          requestContext: this.requestContext(connectionId, '$connect', 'CONNECT', connectedAt, sourceIp, userAgent),
        }, url, headers);
      }
      let subprotocol: string | undefined;
      const connectRoute = this.routes.get('$connect');
      if (connectRoute?.functionName) {
        const result = await this.invokeRoute(connectRoute.functionName, {
          ...common,
          requestContext: this.requestContext(connectionId, '$connect', 'CONNECT', connectedAt, sourceIp, userAgent,
            authorizerContext ? { authorizer: authorizerContext } : {}),
          isBase64Encoded: false,
        }, connectionId, '$connect');
        const statusCode = statusCodeOf(result);
        if (statusCode < 200 || statusCode >= 300) throw new HandshakeRefusal(statusCode, 'the $connect integration refused');
        const responseHeaders = (result as any)?.headers ?? {};
        const protocolHeader = findHeaderName(responseHeaders, 'sec-websocket-protocol');
        subprotocol = protocolHeader ? String(responseHeaders[protocolHeader]) : undefined;
      }
      if (socket.destroyed || this.stopping) {
        // The client left during the handshake, or the gateway began stopping (a connection accepted now would outlive
        // stop()): API Gateway still runs $disconnect for a connection its $connect accepted.
        this.track(this.runDisconnect({
          id: connectionId, connectedAt: new Date(connectedAt), sourceIp, userAgent, headers, multiValueHeaders, authorizer: authorizerContext,
        }, socket.destroyed ? 1006 : 1001, socket.destroyed ? 'client left' : 'Going away'));
        refuseUpgrade(socket, 503);
        return;
      }
      this.handshakes.set(request, { connectionId, authorizer: authorizerContext, subprotocol });
      this.wss.handleUpgrade(request, socket, head, (webSocket) => {
        this.accept(webSocket, {
          id: connectionId,
          socket: webSocket,
          connectedAt: new Date(connectedAt),
          lastActiveAt: new Date(connectedAt),
          sourceIp,
          userAgent,
          headers,
          multiValueHeaders,
          authorizer: authorizerContext,
        });
      });
    } catch (error) {
      const refusal = error instanceof HandshakeRefusal ? error : new HandshakeRefusal(500, 'internal error');
      this.log({ event: 'connect', connectionId, outcome: 'refused', statusCode: refusal.statusCode, reason: refusal.reason });
      refuseUpgrade(socket, refusal.statusCode);
    }
  }

  private async authorize(authorizer: GatewayAuthorizer, event: Record<string, any>, url: URL,
    headers: Record<string, string>): Promise<Record<string, unknown>> {
    for (const source of authorizer.identitySource) {
      const value = identitySourceValue(source, url, headers);
      if (value === undefined || value === '') throw new HandshakeRefusal(401, `identity source ${source} is missing`);
    }
    let result: any;
    try {
      result = await this.options.invoke(authorizer.functionName, event);
    } catch (error: any) {
      // Lambda authorizers refuse with `throw new Error('Unauthorized')`: API Gateway answers 401; any other failure is 500.
      if (error?.errorMessage === 'Unauthorized') throw new HandshakeRefusal(401, 'authorizer: Unauthorized');
      throw new HandshakeRefusal(500, 'authorizer failed');
    }
    if (!policyAllows(result?.policyDocument, event.methodArn)) throw new HandshakeRefusal(403, 'authorizer denied');
    // API Gateway passes the principal and the context's values (strings, numbers, booleans) to every route.
    const context: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(result.context ?? {})) {
      if (['string', 'number', 'boolean'].includes(typeof value)) context[key] = value;
    }
    return { ...context, principalId: result.principalId, integrationLatency: 0 };
  }

  private async invokeRoute(functionName: string, event: unknown, connectionId: string, routeKey: string): Promise<unknown> {
    try {
      return await this.options.invoke(functionName, event);
    } catch (error: any) {
      this.log({ event: 'integration', connectionId, routeKey, outcome: 'failed', errorType: error?.errorType });
      throw new HandshakeRefusal(500, 'integration failed');
    }
  }

  private accept(socket: WebSocket, connection: LiveConnection): void {
    this.connections.set(connection.id, connection);
    this.log({ event: 'connect', connectionId: connection.id, outcome: 'connected' });
    this.limitFrameSize(socket);
    const idleMs = (this.options.idleTimeoutSeconds ?? 600) * 1000;
    const resetIdle = () => {
      clearTimeout(connection.idleTimer);
      connection.idleTimer = setTimeout(() => socket.close(1001, 'Going away'), idleMs);
    };
    resetIdle();
    connection.ageTimer = setTimeout(() => socket.close(1001, 'Going away'), (this.options.maxConnectionAgeSeconds ?? 7200) * 1000);
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        // API Gateway takes text frames only: a binary frame closes the connection with 1003 (unsupported data).
        socket.close(1003);
        return;
      }
      connection.lastActiveAt = new Date();
      resetIdle();
      this.track(this.handleMessage(connection, data));
    });
    socket.on('error', () => undefined);
    socket.once('close', (code, reason) => {
      clearTimeout(connection.idleTimer);
      clearTimeout(connection.ageTimer);
      this.connections.delete(connection.id);
      this.track(this.runDisconnect(connection, code, reason.toString()));
    });
  }

  /**
   * `ws` limits whole messages only; API Gateway also limits each frame (32 KiB) and closes with 1009 past it.
   * The frame length is known when `ws`'s receiver has read a frame header, so the check goes there.
   */
  private limitFrameSize(socket: WebSocket): void {
    const maxFrame = this.options.maxFrameBytes ?? 32 * 1024;
    const receiver = (socket as any)._receiver;
    if (!receiver || typeof receiver.haveLength !== 'function') return;
    const haveLength = receiver.haveLength;
    receiver.haveLength = function limitedHaveLength(this: any, callback: (error?: Error) => void) {
      if (this._opcode < 0x08 && this._payloadLength > maxFrame) {
        callback(this.createError(RangeError, 'Max frame size exceeded', false, 1009, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'));
        return;
      }
      return haveLength.call(this, callback);
    };
  }

  private async handleMessage(connection: LiveConnection, data: RawData): Promise<void> {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const body = buffer.toString('utf8');
    const routeKey = this.selectRoute(body);
    const route = this.routes.get(routeKey);
    const requestContext = this.requestContext(connection.id, routeKey, 'MESSAGE', connection.connectedAt.getTime(),
      connection.sourceIp, connection.userAgent, {
        messageId: randomId(16),
        ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
      });
    if (!route) {
      // API Gateway's answer to a message no route matches when there is no $default route.
      this.sendToClient(connection, JSON.stringify({ message: 'Forbidden', connectionId: connection.id, requestId: requestContext.requestId }));
      return;
    }
    if (!route.functionName) return;
    try {
      const result = await this.options.invoke(route.functionName, { requestContext, body, isBase64Encoded: false });
      this.log({ event: 'message', connectionId: connection.id, routeKey, outcome: 'ok' });
      if (route.twoWay && result !== null && result !== undefined) {
        const reply = typeof result === 'string' ? result : (result as any).body;
        if (reply !== undefined && reply !== null) this.sendToClient(connection, typeof reply === 'string' ? reply : JSON.stringify(reply));
      }
    } catch (error: any) {
      this.log({ event: 'message', connectionId: connection.id, routeKey, outcome: 'failed', errorType: error?.errorType });
      this.sendToClient(connection, JSON.stringify({
        message: 'Internal server error', connectionId: connection.id, requestId: requestContext.requestId,
      }));
    }
  }

  private sendToClient(connection: LiveConnection, text: string): void {
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(text);
  }

  /**
   * Evaluates `$request.body.<path>` against a JSON message; anything else (or no match) is `$default`.
   * `$connect` and `$disconnect` run only for the connection's lifecycle, never for a message that names them.
   */
  private selectRoute(body: string): string {
    const match = /^\$request\.body\.(.+)$/.exec(this.options.routeSelectionExpression);
    if (!match) return '$default';
    try {
      let value: any = JSON.parse(body);
      for (const key of match[1].split('.')) value = value?.[key];
      const lifecycle = value === '$connect' || value === '$disconnect';
      if ((typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && !lifecycle && this.routes.has(String(value))) {
        return String(value);
      }
    } catch {
      // Not JSON: API Gateway routes it to $default.
    }
    return '$default';
  }

  private async runDisconnect(connection: ConnectionFacts, code: number, reason: string): Promise<void> {
    const { id: connectionId, sourceIp, userAgent, headers, multiValueHeaders, authorizer } = connection;
    const connectedAt = connection.connectedAt.getTime();
    this.log({ event: 'disconnect', connectionId, statusCode: code });
    const route = this.routes.get('$disconnect');
    if (!route?.functionName) return;
    try {
      await this.options.invoke(route.functionName, {
        headers,
        multiValueHeaders,
        requestContext: this.requestContext(connectionId, '$disconnect', 'DISCONNECT', connectedAt, sourceIp, userAgent, {
          disconnectStatusCode: code,
          disconnectReason: reason,
          ...(authorizer ? { authorizer } : {}),
        }),
        isBase64Encoded: false,
      });
    } catch (error: any) {
      this.log({ event: 'disconnect', connectionId, outcome: 'failed', errorType: error?.errorType });
    }
  }
}

/** API Gateway connection ids look like `L0SM9cOFvHcCIhw=`: 15 characters and a pad. */
function randomConnectionId(): string {
  return randomId(15) + '=';
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

function formatRequestTime(date: Date): string {
  // API Gateway's format: 25/Nov/2026:21:03:04 +0000
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function eventHeaders(request: IncomingMessage, port: number) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i];
    const value = request.rawHeaders[i + 1];
    const existing = findHeaderName(multiValueHeaders, name) ?? name;
    (multiValueHeaders[existing] ??= []).push(value);
    headers[existing] = value;
  }
  // What API Gateway's front end adds.
  const added: Record<string, string> = {
    'X-Forwarded-For': request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    'X-Forwarded-Port': String(port),
    'X-Forwarded-Proto': 'http',
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  };
  for (const [name, value] of Object.entries(added)) {
    if (findHeaderName(headers, name)) continue;
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  return { headers, multiValueHeaders };
}

function eventQueryString(url: URL) {
  if ([...url.searchParams.keys()].length === 0) return { queryStringParameters: undefined, multiValueQueryStringParameters: undefined };
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] = value;
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  return { queryStringParameters, multiValueQueryStringParameters };
}

function findHeaderName(headers: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((key) => key.toLowerCase() === lower);
}

function identitySourceValue(source: string, url: URL, headers: Record<string, string>): string | undefined {
  const querystring = /^route\.request\.querystring\.(.+)$/.exec(source);
  if (querystring) return url.searchParams.get(querystring[1]) ?? undefined;
  const header = /^route\.request\.header\.(.+)$/.exec(source);
  if (header) {
    const name = findHeaderName(headers, header[1]);
    return name ? headers[name] : undefined;
  }
  // stageVariables.* and context.* sources: the local stage has no variables, and context values always exist.
  return source.startsWith('stageVariables.') ? undefined : 'present';
}

/** IAM-style evaluation of an authorizer's policy for `execute-api:Invoke` on the method ARN: an explicit Deny wins. */
function policyAllows(policy: any, methodArn: string): boolean {
  const statements = Array.isArray(policy?.Statement) ? policy.Statement : policy?.Statement ? [policy.Statement] : [];
  const matches = (pattern: string, value: string) =>
    new RegExp('^' + pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$').test(value);
  const applies = (statement: any) => {
    const actions = [statement.Action].flat().filter(Boolean) as string[];
    const resources = [statement.Resource].flat().filter(Boolean) as string[];
    return actions.some((action) => matches(action, 'execute-api:Invoke')) && resources.some((resource) => matches(resource, methodArn));
  };
  if (statements.some((statement: any) => statement.Effect === 'Deny' && applies(statement))) return false;
  return statements.some((statement: any) => statement.Effect === 'Allow' && applies(statement));
}

function statusCodeOf(result: unknown): number {
  if (result && typeof result === 'object' && 'statusCode' in result) return Number((result as any).statusCode);
  // A $connect integration that returns nothing (or a non-object) is accepted, as API Gateway does.
  return 200;
}

function refuseUpgrade(socket: Duplex, statusCode: number): void {
  if (socket.destroyed) return;
  const status = `${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}`;
  const body = JSON.stringify({ message: STATUS_CODES[statusCode] ?? 'Error' });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
