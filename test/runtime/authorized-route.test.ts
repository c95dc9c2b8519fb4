import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import WebSocket from 'ws';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { authorizedRoute, CallerIdentity, DisconnectResult, REFUSED_ROUTE_RESPONSE, RouteEvent, WebSocketConnections } from '../../runtime';
import { signUpAndSignIn } from '../local/cognito-test-user';
import { synthesizeConstructTestApp } from '../local/fixtures/websocket-test-app';
import { closeAll, closed, nextMessage, openPatiently } from '../local/websocket-test-client';

/**
 * `authorizedRoute` against the local runtime: a real connection opened through the construct's authorizer and
 * `$connect` handler, the authorizer context API Gateway passes to a route (read back from the app's own `whoami`
 * route), the row in the local DynamoDB, and the local @connections API closing the socket.
 */
describe('authorizedRoute, a route handler that serves a connection only while its token is valid', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'authorized-route-'));
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sockets: WebSocket[] = [];
  let runtime: LocalRuntime;
  let dynamoDb: DynamoDBClient;
  let connections: WebSocketConnections;
  // What a backend process on this machine has: a region and some credentials (the local runtime checks no signature).
  const savedEnvironment = { ...process.env };

  beforeAll(async () => {
    synthesizeConstructTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
    Object.assign(process.env, { AWS_REGION: runtime.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    dynamoDb = new DynamoDBClient({ region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials });
    connections = new WebSocketConnections({
      tableName: Object.values(runtime.tableNames)[0], callbackUrl: runtime.callbackUrl, dynamoDb, requestTimeoutMs: 30_000,
    });
  });

  afterEach(async () => closeAll(sockets.splice(0)));

  afterAll(async () => {
    process.env = savedEnvironment;
    dynamoDb?.destroy();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  /** A connected user, and the route event API Gateway would give a handler for a message on that connection. */
  async function connectedUser(username: string): Promise<{ socket: WebSocket; event: RouteEvent & { body: string } }> {
    const idToken = await signUpAndSignIn(runtime, username);
    const socket = await openPatiently(`${runtime.websocketUrl}?idToken=${idToken}`);
    sockets.push(socket);
    const answer = nextMessage(socket);
    socket.send(JSON.stringify({ action: 'whoami' }));
    const { authorizer } = JSON.parse(await answer) as { authorizer: Record<string, unknown> };
    const [row] = await connections.listConnections(authorizer.userId as string);
    return { socket, event: { body: 'hello', requestContext: { connectionId: row.connectionId, authorizer } } };
  }

  test('a message before the token expires reaches the handler, with the caller, and the connection stays open', async () => {
    // GIVEN a connected user and a wrapped handler
    const { socket, event } = await connectedUser('route-valid');
    const seen: CallerIdentity[] = [];
    const serve = async (_event: RouteEvent, caller: CallerIdentity) => {
      seen.push(caller);
      return { statusCode: 200, body: 'served' };
    };
    const exp = Number(event.requestContext.authorizer!.exp);
    // WHEN a message arrives now, and one arrives a second before the token's expiry
    const now = await authorizedRoute({ connections }, serve)(event);
    const justBefore = await authorizedRoute({ connections, now: () => exp * 1000 - 1000 }, serve)(event);
    // THEN the handler ran with the verified caller; nothing was closed
    expect([now, justBefore]).toEqual([{ statusCode: 200, body: 'served' }, { statusCode: 200, body: 'served' }]);
    expect(seen).toEqual([expect.objectContaining({ username: 'route-valid', exp, tokenUse: 'id' }), seen[0]]);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(runtime.managementApiRequests.countsOf(event.requestContext.connectionId).DELETE).toBe(0);
    expect(await connections.listConnections(seen[0].userId)).toHaveLength(1);
  });

  test('a message once the token has expired is refused: the handler never runs, the client hears why, the connection is closed and its row deleted', async () => {
    // GIVEN a connected user
    const { socket, event } = await connectedUser('route-expired');
    const received: string[] = [];
    socket.on('message', (data) => received.push(data.toString()));
    const closing = closed(socket);
    const handled: RouteEvent[] = [];
    const expired: DisconnectResult[] = [];
    // WHEN a message arrives at the token's expiry
    const exp = Number(event.requestContext.authorizer!.exp);
    const route = authorizedRoute({
      connections,
      now: () => exp * 1000,
      expiredMessage: { error: 'session expired' },
      onExpired: (_caller, result) => expired.push(result),
    }, async (routeEvent) => {
      handled.push(routeEvent);
      return { statusCode: 200 };
    });
    // THEN API Gateway gets the refusal, the handler did not run
    expect(await route(event)).toBe(REFUSED_ROUTE_RESPONSE);
    expect(expired).toEqual([{ disconnected: [event.requestContext.connectionId], gone: [], failed: [] }]);
    expect(handled).toEqual([]);
    // AND the client got the message, then the close (DeleteConnection: 1000), and the row is gone
    expect(await closing).toBe(1000);
    expect(received).toEqual(['{"error":"session expired"}']);
    const { connectionId } = event.requestContext;
    expect(runtime.managementApiRequests.countsOf(connectionId)).toEqual({ POST: 1, GET: 0, DELETE: 1 });
    expect(await connections.listConnections(String(event.requestContext.authorizer!.userId))).toEqual([]);
  });
});
