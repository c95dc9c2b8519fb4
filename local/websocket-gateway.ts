import { createServer, IncomingMessage, Server, STATUS_CODES } from 'http';
import type { Duplex } from 'stream';
import type { APIGatewayAuthorizerResultContext } from 'aws-lambda';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import {
  authorizerEvent, ConnectionFacts, connectEvent, disconnectEvent, EventQueryString, EventStage, findHeaderName,
  handshakeHeaders, handshakeQueryString, messageEvent,
} from './api-gateway-events';
import { ConcurrencyGate } from './concurrency-gate';
import { missingIdentitySource, verdictOnFailure, verdictOnResult } from './connect-authorization';
import { limitFrameSize } from './frame-size-limit';
import { randomId } from './ids';
import { integrationHeader, integrationReply, integrationStatusCode } from './integration-result';
import { LoopbackListener, listenOnLoopback } from './loopback-listener';
import type { AllowedOrigins } from './loopback-request-policy';
import { ConnectionDescription, ConnectionRegistry, handleManagementRequest } from './management-api';
import type { ManagementApiCounter } from './management-api-counter';
import { selectRoute } from './route-selection';
import { StageThrottle, StageThrottleSettings } from './stage-throttle';
import { handshakeProblem } from './websocket-handshake-check';

/**
 * `$disconnect` invocations in flight at once, at most; the others wait in the gateway, in the order their
 * connections closed. More than any worker pool is large, so no worker idles while disconnects wait, and far below
 * the function runner's bounded queue, so a mass close never meets its throttling error.
 */
export const MAX_DISCONNECTS_IN_FLIGHT = 64;

/**
 * Messages of one connection the gateway handles at once, at most. At the bound the gateway stops reading the
 * connection until one is handled (TCP back-pressure: the client's sends wait, nothing is lost, and a flood costs no
 * CPU); messages already read past it (in the same read of the socket) wait their turn. So a client that sends faster
 * than its messages are handled makes the runtime hold this many messages (128 KiB each at most) and one read more,
 * however fast it sends.
 */
export const MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION = 16;

/**
 * Bytes sent to a connection and not yet taken by its client (`ws`'s `bufferedAmount`), at most: past it the client is
 * not reading, and the connection is closed (1008) rather than held in memory. Eight messages of API Gateway's 128 KiB.
 */
export const MAX_UNREAD_BYTES_PER_CONNECTION = 1024 * 1024;

/** A client whose unread output passed the bound does not read its close frame either: it is cut off after this long. */
const UNREAD_CLOSE_GRACE_MS = 1000;

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
  /** Counts each request the `@connections` API receives. @default - nothing is counted */
  readonly managementApiCounter?: ManagementApiCounter;
  /**
   * How long stop() waits for the handshakes, messages and `$disconnect` invocations in flight; past it, the port
   * closes anyway and the log says how many were left running. @default 10
   */
  readonly stopWaitSeconds?: number;
  /** Pages that may open connections from a browser. @default - loopback pages only */
  readonly allowedOrigins?: AllowedOrigins;
  /** The stage's throttle settings (route-level limits). @default - no limits: nothing is throttled */
  readonly throttle?: StageThrottleSettings;
}

interface LiveConnection extends ConnectionFacts {
  readonly socket: WebSocket;
  lastActiveAt: Date;
  /** Messages being handled. */
  messagesInFlight: number;
  /** Messages read while at the bound of messages in flight, to handle in order: at most one read of the socket. */
  readonly waitingMessages: Array<{ readonly routeKey: string; readonly body: string }>;
  idleTimer?: NodeJS.Timeout;
  ageTimer?: NodeJS.Timeout;
}

/** What the gateway read from an upgrade request before deciding on it. */
interface Handshake {
  readonly url: URL;
  readonly connection: ConnectionFacts;
  readonly query: EventQueryString;
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
  /** The subprotocol each accepted handshake answers with, handed from the upgrade handler to `ws`. */
  private readonly subprotocols = new WeakMap<IncomingMessage, string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly disconnects = new ConcurrencyGate(MAX_DISCONNECTS_IN_FLIGHT);
  private readonly routes: Map<string, GatewayRoute>;
  private readonly throttle: StageThrottle;
  private stopping = false;
  /** Kept from start(): its port outlives the listening socket, and $disconnect events during stop() still name it. */
  private listener?: LoopbackListener;

  constructor(private readonly options: WebSocketGatewayOptions) {
    this.stage = options.stage;
    this.routes = new Map(options.routes.map((route) => [route.routeKey, route]));
    this.throttle = new StageThrottle(options.throttle);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes ?? 128 * 1024,
      // API Gateway compresses nothing; a client that offers permessage-deflate gets plain frames.
      perMessageDeflate: false,
      handleProtocols: (_protocols, request) => this.subprotocols.get(request) ?? false,
    });
    this.server = createServer((request, response) => {
      handleManagementRequest(this, request, response, options.managementApiCounter).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    this.server.on('upgrade', (request, socket, head) => {
      // handleUpgrade answers every refusal itself; what throws before that (an unparsable request target) is a 400,
      // not a socket left waiting for an answer.
      this.track(this.handleUpgrade(request, socket, head).catch(() => refuseUpgrade(socket, 400)));
    });
  }

  async start(): Promise<void> {
    this.listener = await listenOnLoopback(this.server, this.options.port, this.options.allowedOrigins);
  }

  get port(): number {
    return this.listener?.port ?? 0;
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
    this.closeIfNotReading(connection);
    return true;
  }

  describe(connectionId: string): ConnectionDescription | undefined {
    const connection = this.connections.get(connectionId);
    if (!connection) return undefined;
    const { connectedAt, lastActiveAt, sourceIp, userAgent } = connection;
    return { connectedAt: new Date(connectedAt), lastActiveAt, sourceIp, userAgent };
  }

  disconnect(connectionId: string): boolean {
    const connection = this.connections.get(connectionId);
    if (!connection) return false;
    connection.socket.resume();
    connection.socket.close(1000, 'Going away');
    return true;
  }

  /**
   * Closes every connection (each `$disconnect` runs), then the port; resolves when all is done, or when the stop
   * wait has passed (a `$disconnect` that hangs until its function's timeout does not hold the runtime's exit).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.server.close();
    for (const connection of this.connections.values()) {
      // A connection not read for its messages in flight must still read the client's answer to the close frame.
      connection.socket.resume();
      connection.socket.close(1001, 'Going away');
    }
    const waitMs = (this.options.stopWaitSeconds ?? 10) * 1000;
    // A client that does not answer the close frame is cut off, as API Gateway does.
    const cutOff = setTimeout(() => {
      for (const connection of this.connections.values()) connection.socket.terminate();
    }, Math.min(2000, waitMs));
    const giveUpAt = Date.now() + waitMs;
    // Each close event and each $disconnect arrives through I/O, so wait in macrotask steps.
    while ((this.inFlight.size > 0 || this.connections.size > 0) && Date.now() < giveUpAt) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    clearTimeout(cutOff);
    if (this.inFlight.size > 0 || this.connections.size > 0) {
      this.log({ event: 'stop', outcome: 'gave up waiting', inFlight: this.inFlight.size, connections: this.connections.size });
    }
    await this.listener?.close();
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

  private get eventStage(): EventStage {
    return { apiId: this.options.apiId, stage: this.stage, domainName: `127.0.0.1:${this.port}` };
  }

  private async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined);
    const handshake = this.readHandshake(request);
    try {
      if (handshake.url.pathname !== (this.stagePath || '/')) throw new HandshakeRefusal(403, 'no such stage');
      const problem = handshakeProblem(request);
      if (problem) throw new HandshakeRefusal(problem.statusCode, problem.reason);
      if (!this.throttle.allow('$connect')) throw new HandshakeRefusal(429, 'throttled');
      const connection: ConnectionFacts = { ...handshake.connection, authorizer: await this.authorizeHandshake(handshake) };
      const subprotocol = await this.runConnectRoute(connection, handshake.query);
      if (clientLeft(socket) || this.stopping) {
        this.abandonHandshake(connection, socket);
        return;
      }
      if (subprotocol !== undefined) this.subprotocols.set(request, subprotocol);
      this.wss.handleUpgrade(request, socket, head, (webSocket) => this.accept(webSocket, connection));
    } catch (error) {
      const refusal = error instanceof HandshakeRefusal ? error : new HandshakeRefusal(500, 'internal error');
      const { connectionId } = handshake.connection;
      this.log({ event: 'connect', connectionId, outcome: 'refused', statusCode: refusal.statusCode, reason: refusal.reason });
      refuseUpgrade(socket, refusal.statusCode);
    }
  }

  private readHandshake(request: IncomingMessage): Handshake {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    const { headers, multiValueHeaders } = handshakeHeaders(request, sourceIp, this.port);
    const userAgentHeader = findHeaderName(headers, 'user-agent');
    const connection: ConnectionFacts = {
      // API Gateway connection ids look like `L0SM9cOFvHcCIhw=`: 15 characters and a pad.
      connectionId: randomId(15) + '=',
      connectedAt: Date.now(),
      sourceIp,
      userAgent: userAgentHeader === undefined ? undefined : headers[userAgentHeader],
      headers,
      multiValueHeaders,
    };
    return { url, connection, query: handshakeQueryString(url) };
  }

  /** The authorizer's context when it allows the connection; refuses it otherwise. */
  private async authorizeHandshake({ url, connection, query }: Handshake): Promise<APIGatewayAuthorizerResultContext | undefined> {
    const authorizer = this.routes.has('$connect') ? this.options.authorizer : undefined;
    if (!authorizer) return undefined;
    const missing = missingIdentitySource(authorizer.identitySource, { headers: connection.headers, query: url.searchParams });
    if (missing !== undefined) throw new HandshakeRefusal(401, `identity source ${missing} is missing`);
    const { region, accountId, apiId } = this.options;
    const methodArn = `arn:aws:execute-api:${region}:${accountId}:${apiId}/${this.stage}/$connect`;
    const verdict = await this.options.invoke(authorizer.functionName, authorizerEvent(this.eventStage, connection, query, methodArn))
      .then((result) => verdictOnResult(result, methodArn), verdictOnFailure);
    if (!verdict.allowed) throw new HandshakeRefusal(verdict.statusCode, verdict.reason);
    return verdict.context;
  }

  /** Runs the `$connect` integration; resolves with the subprotocol it answers with, refuses on a non-2xx status. */
  private async runConnectRoute(connection: ConnectionFacts, query: EventQueryString): Promise<string | undefined> {
    const route = this.routes.get('$connect');
    if (!route?.functionName) return undefined;
    let result: unknown;
    try {
      result = await this.options.invoke(route.functionName, connectEvent(this.eventStage, connection, query));
    } catch (error) {
      const { connectionId } = connection;
      this.log({ event: 'integration', connectionId, routeKey: '$connect', outcome: 'failed', errorType: errorTypeOf(error) });
      throw new HandshakeRefusal(500, 'integration failed');
    }
    const statusCode = integrationStatusCode(result);
    if (statusCode < 200 || statusCode >= 300) throw new HandshakeRefusal(statusCode, 'the $connect integration refused');
    return integrationHeader(result, 'sec-websocket-protocol');
  }

  /**
   * The client left during the handshake, or the gateway began stopping (a connection accepted now would outlive
   * stop()): API Gateway still runs $disconnect for a connection its $connect accepted.
   */
  private abandonHandshake(connection: ConnectionFacts, socket: Duplex): void {
    const left = clientLeft(socket);
    this.track(this.runDisconnect(connection, left ? 1006 : 1001, left ? 'client left' : 'Going away'));
    refuseUpgrade(socket, 503);
  }

  private accept(socket: WebSocket, facts: ConnectionFacts): void {
    const connection: LiveConnection = {
      ...facts, socket, lastActiveAt: new Date(facts.connectedAt), messagesInFlight: 0, waitingMessages: [],
    };
    this.connections.set(connection.connectionId, connection);
    this.log({ event: 'connect', connectionId: connection.connectionId, outcome: 'connected' });
    limitFrameSize(socket, this.options.maxFrameBytes ?? 32 * 1024);
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
      this.receiveMessage(connection, data);
    });
    socket.on('error', () => undefined);
    socket.once('close', (code, reason) => {
      clearTimeout(connection.idleTimer);
      clearTimeout(connection.ageTimer);
      this.connections.delete(connection.connectionId);
      this.track(this.runDisconnect(connection, code, reason.toString()));
    });
  }

  /**
   * Routes a message; one over its route's throttle is answered as API Gateway answers it and reaches no function.
   * Otherwise it is handled now, or, while its connection has the most messages in flight it may, in its turn.
   */
  private receiveMessage(connection: LiveConnection, data: RawData): void {
    const body = (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
    const routeKey = selectRoute(this.options.routeSelectionExpression, body, this.routes);
    if (!this.throttle.allow(routeKey)) {
      const { connectionId } = connection;
      this.log({ event: 'message', connectionId, routeKey, outcome: 'throttled' });
      this.sendToClient(connection, errorFrame('Too Many Requests', connectionId, randomId(16)));
      return;
    }
    if (connection.messagesInFlight >= MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION) {
      connection.waitingMessages.push({ routeKey, body });
      return;
    }
    this.startMessage(connection, routeKey, body);
  }

  /** Handles a message; at the bound of messages in flight, stops reading the connection until one is handled. */
  private startMessage(connection: LiveConnection, routeKey: string, body: string): void {
    if (++connection.messagesInFlight === MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION) connection.socket.pause();
    this.track(this.handleMessage(connection, routeKey, body).finally(() => {
      connection.messagesInFlight--;
      const next = connection.waitingMessages.shift();
      if (next) this.startMessage(connection, next.routeKey, next.body);
      else if (connection.messagesInFlight === MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION - 1) connection.socket.resume();
    }));
  }

  private async handleMessage(connection: LiveConnection, routeKey: string, body: string): Promise<void> {
    const route = this.routes.get(routeKey);
    const event = messageEvent(this.eventStage, connection, routeKey, body);
    const { connectionId } = connection;
    if (!route) {
      // API Gateway's answer to a message no route matches when there is no $default route.
      this.sendToClient(connection, errorFrame('Forbidden', connectionId, event.requestContext.requestId));
      return;
    }
    if (!route.functionName) return;
    try {
      const result = await this.options.invoke(route.functionName, event);
      this.log({ event: 'message', connectionId, routeKey, outcome: 'ok' });
      const reply = route.twoWay ? integrationReply(result) : undefined;
      if (reply !== undefined) this.sendToClient(connection, reply);
    } catch (error) {
      this.log({ event: 'message', connectionId, routeKey, outcome: 'failed', errorType: errorTypeOf(error) });
      this.sendToClient(connection, errorFrame('Internal server error', connectionId, event.requestContext.requestId));
    }
  }

  private sendToClient(connection: LiveConnection, text: string): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(text);
    this.closeIfNotReading(connection);
  }

  /**
   * Closes the connection once what was sent to it and not yet taken by its client passes the bound: a client that
   * does not read must not make the runtime hold its output without limit. 1008 (policy violation), not 1013 (try
   * again later): the cause is the client's own reading, not the server's load. Such a client does not read the close
   * frame either, so it is cut off shortly after, which frees what was queued for it.
   */
  private closeIfNotReading({ socket }: LiveConnection): void {
    if (socket.bufferedAmount <= MAX_UNREAD_BYTES_PER_CONNECTION || socket.readyState !== WebSocket.OPEN) return;
    socket.close(1008, 'Unread messages over the limit');
    setTimeout(() => socket.terminate(), UNREAD_CLOSE_GRACE_MS).unref();
  }

  private async runDisconnect(connection: ConnectionFacts, code: number, reason: string): Promise<void> {
    const { connectionId } = connection;
    this.log({ event: 'disconnect', connectionId, statusCode: code });
    const route = this.routes.get('$disconnect');
    if (!route?.functionName) return;
    try {
      const event = disconnectEvent(this.eventStage, connection, code, reason);
      const { functionName } = route;
      await this.disconnects.run(() => this.options.invoke(functionName, event));
    } catch (error) {
      this.log({ event: 'disconnect', connectionId, outcome: 'failed', errorType: errorTypeOf(error) });
    }
  }
}

/** The `errorType` of a failed invocation (`FunctionInvocationError`), as Lambda reports it. */
function errorTypeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'errorType' in error ? error.errorType : undefined;
}

/**
 * The frame API Gateway answers a message with when the gateway itself refuses or fails it, byte for byte as API
 * Gateway writes it (a space after the first colon only).
 */
function errorFrame(message: string, connectionId: string, requestId: string): string {
  return `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(requestId)}}`;
}

function refuseUpgrade(socket: Duplex, statusCode: number): void {
  if (socket.destroyed) return;
  const status = `${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}`;
  const body = JSON.stringify({ message: STATUS_CODES[statusCode] ?? 'Error' });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * Whether the client left during the handshake. Its socket may not be destroyed yet, only no longer readable or
 * writable; ws then drops it without calling back, so the check is the one ws makes.
 */
function clientLeft(socket: Duplex): boolean {
  return socket.destroyed || !socket.readable || !socket.writable;
}
