import { once } from 'events';
import { createConnection } from 'net';
import * as path from 'path';
import { ApiGatewayManagementApiClient, GetConnectionCommand, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import WebSocket from 'ws';
import { closed, connect, nextMessage } from './websocket-test-client';
import { FunctionRunner, LocalFunction } from '../../local/function-runner';
import { WebSocketGateway, WebSocketGatewayOptions } from '../../local/websocket-gateway';
import { waitFor } from '../eventually';

const codeDirectory = path.join(__dirname, 'fixtures', 'handlers');

/** The method ARN of the test gateway's $connect, which the authorizer's policy must allow. */
const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:000000000000:abcde12345/prod/$connect';

function statement(effect: 'Allow' | 'Deny', resource: string | string[], action: string | string[]) {
  return { Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: resource }] };
}
const allow = (resource: string | string[], action: string | string[] = 'execute-api:Invoke') => statement('Allow', resource, action);
const deny = (resource: string | string[], action: string | string[] = 'execute-api:Invoke') => statement('Deny', resource, action);

/** Opens a client with extra handshake headers; resolves with the open socket or the refusing status. */
function connectWithHeaders(url: string, headers: Record<string, string>): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      resolve({ socket });
      socket.close();
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode });
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** An invocation the gateway made: which function, with which event (the part of it the tests read). */
interface Invocation {
  readonly functionName: string;
  readonly event: {
    readonly requestContext: {
      readonly routeKey: string;
      readonly eventType: string;
      readonly connectionId: string;
      readonly disconnectStatusCode?: number;
      readonly authorizer?: Record<string, unknown>;
    };
  };
}

describe('WebSocketGateway', () => {
  let runner: FunctionRunner;
  let gateway: WebSocketGateway;
  const logs: string[] = [];
  const gatewayLog: Array<Record<string, unknown>> = [];
  const invocations: Invocation[] = [];

  /** The invocations of one function, in order. */
  const invocationsOf = (functionName: string) => invocations.filter((invocation) => invocation.functionName === functionName);
  /** Whether the gateway has invoked `$disconnect` for this connection, with this close code. */
  const disconnectRan = (connectionId: string, code: number) => invocationsOf('disconnect').some(({ event: { requestContext } }) =>
    requestContext.routeKey === '$disconnect' && requestContext.connectionId === connectionId && requestContext.disconnectStatusCode === code);

  // One runner for the file: its warm processes hold no state the tests read (the fixtures keep none), and each
  // test starts its own gateway; what a test reads (logs, invocation records) is cleared before it.
  beforeAll(() => {
    runner = new FunctionRunner({ region: 'eu-west-1', accountId: '000000000000', onLog: (name, line) => logs.push(`${name}: ${line}`) });
    const fn = (handler: string): LocalFunction => ({
      name: handler, codeDirectory, handler: `index.${handler}`, timeoutSeconds: 10, memorySizeMb: 128, environment: {},
    });
    for (const name of ['authorizer', 'answerFromQuery', 'connect', 'disconnect', 'echo', 'whoami', 'measure', 'crash', 'slowAuthorizer']) {
      runner.register(fn(name));
    }
    runner.register({ ...fn('hang'), timeoutSeconds: 1 });
    runner.register({ ...fn('hang'), name: 'hangingDisconnect', timeoutSeconds: 60 });
  });
  afterAll(() => runner.close());

  beforeEach(() => {
    logs.length = 0;
    gatewayLog.length = 0;
    invocations.length = 0;
  });

  async function startGateway(overrides: Partial<WebSocketGatewayOptions> = {}) {
    gateway = new WebSocketGateway({
      apiId: 'abcde12345',
      stage: 'prod',
      region: 'eu-west-1',
      accountId: '000000000000',
      routeSelectionExpression: '$request.body.action',
      routes: [
        { routeKey: '$connect', functionName: 'connect' },
        { routeKey: '$disconnect', functionName: 'disconnect' },
        { routeKey: '$default', functionName: 'echo' },
        { routeKey: 'whoami', functionName: 'whoami', twoWay: true },
      ],
      authorizer: { functionName: 'authorizer', identitySource: ['route.request.querystring.token'] },
      invoke: (functionName, event) => {
        invocations.push({ functionName, event: event as Invocation['event'] });
        return runner.invoke(functionName, event);
      },
      log: (entry) => gatewayLog.push(entry),
      ...overrides,
    });
    await gateway.start();
  }

  /** The AWS SDK's management API client on the gateway's callback URL, as a backend would use it. */
  function managementClient(): ApiGatewayManagementApiClient {
    return new ApiGatewayManagementApiClient({
      endpoint: gateway.callbackUrl, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
  }

  afterEach(() => gateway.stop());

  test('an allowed client gets its message echoed through the management API, with the authorizer context', async () => {
    await startGateway();
    const { socket } = await connect(`${gateway.url}?token=good`);
    const reply = nextMessage(socket!);
    socket!.send('hello');
    const echoed = JSON.parse(await reply);
    expect(echoed.message).toBe('hello');
    expect(echoed.authorizer).toEqual({ userId: 'user-1', groups: 'admins,users', principalId: 'user-1', integrationLatency: 0 });
    socket!.close();
  });

  test('routes on $request.body.action and sends a two-way route\'s body back', async () => {
    await startGateway();
    const { socket } = await connect(`${gateway.url}?token=good`);
    const reply = nextMessage(socket!);
    socket!.send(JSON.stringify({ action: 'whoami' }));
    expect(JSON.parse(await reply)).toMatchObject({ routeKey: 'whoami', authorizer: { userId: 'user-1' } });
    // an unknown action falls back to $default
    const fallback = nextMessage(socket!);
    socket!.send(JSON.stringify({ action: 'nope' }));
    expect(JSON.parse(await fallback).message).toBe('{"action":"nope"}');
    socket!.close();
  });

  test('refuses with 401 without calling the authorizer when the identity source is missing or empty', async () => {
    await startGateway();
    for (const url of [gateway.url, `${gateway.url}?token=`]) {
      expect((await connect(url)).status).toBe(401);
    }
    expect(invocations).toEqual([]);
    expect(gatewayLog).toEqual([1, 2].map(() => expect.objectContaining({
      event: 'connect', outcome: 'refused', statusCode: 401, reason: 'identity source route.request.querystring.token is missing',
    })));
  });

  test('gives the authorizer API Gateway\'s REQUEST event for $connect', async () => {
    await startGateway();
    const { socket } = await connect(`${gateway.url}?token=good&tag=a&tag=b`);
    socket!.close();
    const [{ event }] = invocationsOf('authorizer');
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:000000000000:abcde12345/prod/$connect',
      queryStringParameters: { token: 'good', tag: 'b' },
      multiValueQueryStringParameters: { token: ['good'], tag: ['a', 'b'] },
      stageVariables: {},
      requestContext: { routeKey: '$connect', eventType: 'CONNECT', stage: 'prod', apiId: 'abcde12345' },
    });
  });

  test('reads a header identity source case-insensitively, and gives the authorizer empty query string maps', async () => {
    await startGateway({ authorizer: { functionName: 'answerFromQuery', identitySource: ['route.request.header.Authorization'] } });
    // no header: 401 without calling the authorizer
    expect((await connect(gateway.url)).status).toBe(401);
    expect(invocations).toEqual([]);
    // the header, in any case: the authorizer runs (and, given no policy, denies)
    const { status } = await connectWithHeaders(gateway.url, { authorization: 'Bearer x' });
    expect(status).toBe(403);
    expect(invocationsOf('answerFromQuery').map(({ event }) => event)).toEqual([expect.objectContaining({
      queryStringParameters: {}, multiValueQueryStringParameters: {},
    })]);
  });

  test('a stage variable identity source is always missing locally; a context identity source is always present', async () => {
    await startGateway({ authorizer: { functionName: 'authorizer', identitySource: ['stageVariables.key'] } });
    expect((await connect(`${gateway.url}?token=good`)).status).toBe(401);
    await gateway.stop();
    await startGateway({ authorizer: { functionName: 'authorizer', identitySource: ['route.request.querystring.token', 'context.identity.sourceIp'] } });
    const { socket } = await connect(`${gateway.url}?token=good`);
    expect(socket).toBeDefined();
    socket!.close();
    expect(invocationsOf('authorizer')).toHaveLength(1);
  });

  test('an authorizer that fails other than with Unauthorized, or answers nothing, refuses with 500 and 403', async () => {
    await startGateway({ authorizer: { functionName: 'answerFromQuery', identitySource: ['route.request.querystring.answer'] } });
    expect((await connect(`${gateway.url}?answer=fail`)).status).toBe(500);
    expect((await connect(`${gateway.url}?answer=nothing`)).status).toBe(403);
    expect(gatewayLog.map(({ statusCode, reason }) => [statusCode, reason])).toEqual([[500, 'authorizer failed'], [403, 'authorizer denied']]);
    expect(invocationsOf('connect')).toEqual([]);
  });

  test('passes the context\'s strings, numbers and booleans to the routes, and nothing nested', async () => {
    await startGateway({ authorizer: { functionName: 'answerFromQuery', identitySource: ['route.request.querystring.policy'] } });
    const context = { name: 'ann', count: 3, admin: true, nested: { dropped: true }, list: ['dropped'] };
    const { socket } = await connect(`${gateway.url}?policy=${encodeURIComponent(JSON.stringify(allow(METHOD_ARN)))}` +
      `&context=${encodeURIComponent(JSON.stringify(context))}`);
    socket!.close();
    expect(invocationsOf('connect')[0].event.requestContext).toMatchObject({
      authorizer: { name: 'ann', count: 3, admin: true, principalId: 'user-2', integrationLatency: 0 },
    });
    expect(Object.keys(invocationsOf('connect')[0].event.requestContext.authorizer!).sort())
      .toEqual(['admin', 'count', 'integrationLatency', 'name', 'principalId']);
  });

  test.each<[string, unknown, boolean]>([
    ['Allow on the method ARN', allow(METHOD_ARN), true],
    ['Allow as a single statement object', { Version: '2012-10-17', Statement: allow(METHOD_ARN).Statement[0] }, true],
    ['Allow on a wildcard of the API', allow('arn:aws:execute-api:eu-west-1:000000000000:abcde12345/*'), true],
    ['Allow on *', allow('*'), true],
    ['Allow on a list of resources that holds the method ARN', allow(['arn:aws:execute-api:eu-west-1:000000000000:other/*', METHOD_ARN]), true],
    ['Allow of execute-api:* and another action', allow(METHOD_ARN, ['s3:GetObject', 'execute-api:*']), true],
    ['Allow on another API', allow('arn:aws:execute-api:eu-west-1:000000000000:other/prod/$connect'), false],
    ['Allow on a prefix of the method ARN', allow('arn:aws:execute-api:eu-west-1:000000000000:abcde12345/prod'), false],
    ['Allow on a suffix of the method ARN', allow('execute-api:eu-west-1:000000000000:abcde12345/prod/$connect'), false],
    ['Allow on letters of the method ARN in order', allow('arn:aws:execute-api:eu-west-1:000000000000:abcde12345/pro/$connect'), false],
    ['Allow with a regular expression for a resource', allow('arn:aws:execute-api:eu-west-1:000000000000:abcde12345/prod/.connect'), false],
    ['Allow of another action only', allow(METHOD_ARN, ['execute-api:ManageConnections']), false],
    ['Allow and Deny on the method ARN', { Version: '2012-10-17', Statement: [...allow(METHOD_ARN).Statement, ...deny(METHOD_ARN).Statement] }, false],
    ['Allow on the method ARN, Deny on another API', {
      Version: '2012-10-17', Statement: [...deny('arn:aws:execute-api:eu-west-1:000000000000:other/*').Statement, ...allow(METHOD_ARN).Statement],
    }, true],
    ['Deny of another action on the method ARN, and Allow', {
      Version: '2012-10-17', Statement: [...deny(METHOD_ARN, ['execute-api:ManageConnections']).Statement, ...allow(METHOD_ARN).Statement],
    }, true],
    ['an empty policy', { Version: '2012-10-17', Statement: [] }, false],
    ['a statement without an Effect', { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Resource: METHOD_ARN }] }, false],
    ['a policy without statements', { Version: '2012-10-17' }, false],
  ])('evaluates the authorizer\'s policy as IAM does: %s', async (_name, policy, allowed) => {
    await startGateway({ authorizer: { functionName: 'answerFromQuery', identitySource: ['route.request.querystring.policy'] } });
    const { socket, status } = await connect(`${gateway.url}?policy=${encodeURIComponent(JSON.stringify(policy))}`);
    socket?.close();
    expect(status).toBe(allowed ? undefined : 403);
    expect(invocationsOf('connect')).toHaveLength(allowed ? 1 : 0);
  });

  test('refuses with 403 on a Deny policy and 401 when the authorizer throws Unauthorized', async () => {
    await startGateway();
    expect((await connect(`${gateway.url}?token=bad`)).status).toBe(403);
    expect((await connect(`${gateway.url}?token=throw-unauthorized`)).status).toBe(401);
    // the authorizer ran for each, and nothing behind it did
    expect(invocations.map(({ functionName }) => functionName)).toEqual(['authorizer', 'authorizer']);
    expect(gatewayLog.map(({ statusCode, reason }) => [statusCode, reason])).toEqual([[403, 'authorizer denied'], [401, 'authorizer: Unauthorized']]);
  });

  test('refuses with the $connect integration\'s status when it is not 2xx', async () => {
    await startGateway();
    expect((await connect(`${gateway.url}?token=good&refuse=yes`)).status).toBe(500);
  });

  test('answers with the subprotocol the $connect integration returns', async () => {
    await startGateway();
    const { socket } = await connect(`${gateway.url}?token=good`, ['chat', 'other']);
    expect(socket!.protocol).toBe('chat');
    socket!.close();
  });

  test('runs $disconnect on close, after which the management API answers 410 GoneException', async () => {
    await startGateway();
    const client = managementClient();
    const { socket } = await connect(`${gateway.url}?token=good`);
    const connectionId = gateway.connectionIds[0];
    // WHEN a backend posts to the live connection with the AWS SDK, the client receives it
    const received = nextMessage(socket!);
    await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('from backend') }));
    expect(await received).toBe('from backend');
    const info = await client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(info.Identity?.SourceIp).toBe('127.0.0.1');
    // WHEN the client leaves
    socket!.close();
    await closed(socket!);
    await waitFor(`$disconnect of ${connectionId} with 1005`, () => disconnectRan(connectionId, 1005));
    // THEN the SDK sees GoneException (410)
    const error = await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('late') })).catch((e) => e);
    expect(error).toBeInstanceOf(GoneException);
    expect(error.$metadata.httpStatusCode).toBe(410);
    client.destroy();
  });

  test('the management API delivers a 128 KiB post and refuses a larger one with 413 PayloadTooLargeException', async () => {
    await startGateway();
    const client = managementClient();
    const { socket } = await connect(`${gateway.url}?token=good`);
    const connectionId = gateway.connectionIds[0];
    const received = nextMessage(socket!);
    await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.alloc(128 * 1024, 'a') }));
    expect((await received).length).toBe(128 * 1024);
    const error = await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.alloc(128 * 1024 + 1, 'a') }))
      .catch((e) => e);
    expect(error.name).toBe('PayloadTooLargeException');
    expect(error.$metadata.httpStatusCode).toBe(413);
    socket!.close();
    client.destroy();
  });

  test('closes a connection that sends a frame over 32 KiB with 1009', async () => {
    await startGateway();
    const { socket } = await connect(`${gateway.url}?token=good`);
    const code = closed(socket!);
    socket!.send('x'.repeat(33 * 1024));
    expect(await code).toBe(1009);
  });

  test('accepts a message of 128 KiB in 32 KiB frames and closes with 1009 past 128 KiB', async () => {
    await startGateway({ routes: [{ routeKey: '$connect', functionName: 'connect' }, { routeKey: '$default', functionName: 'measure', twoWay: true }] });
    const { socket } = await connect(`${gateway.url}?token=good`);
    const sendFragmented = (frames: number) => {
      for (let i = 0; i < frames; i++) socket!.send('y'.repeat(32 * 1024), { fin: i === frames - 1 });
    };
    // 4 frames of 32 KiB: exactly the message limit, delivered whole
    const reply = nextMessage(socket!);
    sendFragmented(4);
    expect(await reply).toBe(String(128 * 1024));
    // 5 frames: over the limit
    const code = closed(socket!);
    sendFragmented(5);
    expect(await code).toBe(1009);
  });

  test('closes a connection at its maximum age even while it is active', async () => {
    await startGateway({ maxConnectionAgeSeconds: 1 });
    const { socket } = await connect(`${gateway.url}?token=good`);
    const keepActive = setInterval(() => socket!.send(JSON.stringify({ action: 'whoami' })), 100);
    try {
      expect(await closed(socket!)).toBe(1001);
    } finally {
      clearInterval(keepActive);
    }
  });

  test('answers Forbidden to a message no route matches when there is no $default route', async () => {
    await startGateway({ routes: [{ routeKey: '$connect', functionName: 'connect' }, { routeKey: 'whoami', functionName: 'whoami', twoWay: true }] });
    const { socket } = await connect(`${gateway.url}?token=good`);
    const reply = nextMessage(socket!);
    socket!.send('no route for this');
    expect(JSON.parse(await reply)).toMatchObject({ message: 'Forbidden', connectionId: expect.any(String) });
    socket!.close();
  });

  test('a route whose handler crashes or hangs past its timeout answers Internal server error; the connection and gateway carry on', async () => {
    await startGateway({
      routes: [
        { routeKey: '$default', functionName: 'echo' },
        { routeKey: 'crash', functionName: 'crash' },
        { routeKey: 'hang', functionName: 'hang' },
      ],
      authorizer: undefined,
    });
    const { socket } = await connect(gateway.url);
    for (const action of ['crash', 'hang']) {
      const reply = nextMessage(socket!);
      socket!.send(JSON.stringify({ action }));
      expect(JSON.parse(await reply)).toMatchObject({ message: 'Internal server error', connectionId: expect.any(String) });
    }
    const echoed = nextMessage(socket!);
    socket!.send('still here');
    expect(JSON.parse(await echoed).message).toBe('still here');
    socket!.close();
  });

  test('closes a connection that sends a binary frame with 1003, as API Gateway does, without invoking a route', async () => {
    await startGateway();
    const { socket } = await connect(`${gateway.url}?token=good`);
    const code = closed(socket!);
    socket!.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    expect(await code).toBe(1003);
    const connectionId = invocationsOf('connect')[0].event.requestContext.connectionId;
    await waitFor(`$disconnect of ${connectionId} with 1003`, () => disconnectRan(connectionId, 1003));
    expect(invocations.filter(({ event }) => event.requestContext.eventType === 'MESSAGE')).toEqual([]);
  });

  test('a message whose action names $connect or $disconnect goes to $default, not to the lifecycle routes', async () => {
    await startGateway();
    const { socket } = await connect(`${gateway.url}?token=good`);
    const connectionId = gateway.connectionIds[0];
    for (const action of ['$connect', '$disconnect']) {
      const reply = nextMessage(socket!);
      socket!.send(JSON.stringify({ action }));
      expect(JSON.parse(await reply).message).toBe(JSON.stringify({ action }));
    }
    expect(invocationsOf('echo').map(({ event }) => [event.requestContext.routeKey, event.requestContext.connectionId]))
      .toEqual([['$default', connectionId], ['$default', connectionId]]);
    expect(invocationsOf('disconnect')).toEqual([]);
    socket!.close();
  });

  test('stop() while a handshake is still being authorized refuses it and runs its $disconnect instead of keeping it open', async () => {
    await startGateway({ authorizer: { functionName: 'slowAuthorizer', identitySource: ['route.request.querystring.token'] } });
    const attempt = connect(`${gateway.url}?token=good`);
    await waitFor('the slow authorizer to start', () => logs.includes('slowAuthorizer: authorizing'));
    await gateway.stop();
    expect((await attempt).status).toBe(503);
    // stop() resolves only once every $disconnect has run, so the record is complete here
    const [{ event: { requestContext: { connectionId } } }] = invocationsOf('slowAuthorizer');
    expect(disconnectRan(connectionId, 1001)).toBe(true);
  });

  test('stop() runs $disconnect for each open connection', async () => {
    await startGateway();
    const { socket } = await connect(`${gateway.url}?token=good`);
    const connectionId = gateway.connectionIds[0];
    const code = closed(socket!);
    await gateway.stop();
    expect(await code).toBe(1001);
    expect(disconnectRan(connectionId, 1001)).toBe(true);
    expect(gatewayLog).not.toContainEqual(expect.objectContaining({ event: 'disconnect', connectionId, outcome: 'failed' }));
  });

  test('stop() waits for a $disconnect that hangs only until its own deadline, then says what it left running', async () => {
    // GIVEN a gateway whose $disconnect never answers (within a 60 s function timeout), and a connected client
    await startGateway({
      routes: [{ routeKey: '$connect', functionName: 'connect' }, { routeKey: '$disconnect', functionName: 'hangingDisconnect' }],
      stopWaitSeconds: 1,
    });
    const { socket } = await connect(`${gateway.url}?token=good`);
    const code = closed(socket!);
    // WHEN the gateway stops, THEN stop() resolves, the client was closed, and the log names what was left running
    await gateway.stop();
    expect(await code).toBe(1001);
    expect(invocationsOf('hangingDisconnect')).toHaveLength(1);
    expect(gatewayLog).toContainEqual(expect.objectContaining({ event: 'stop', outcome: 'gave up waiting', inFlight: 1, connections: 0 }));
  });

  test('answers 400 to an upgrade request whose target cannot be parsed, instead of leaving the socket unanswered', async () => {
    await startGateway();
    const socket = createConnection(gateway.port, '127.0.0.1');
    socket.write('GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    const [response] = await once(socket, 'data');
    expect(String(response)).toMatch(/^HTTP\/1\.1 400 /);
    socket.destroy();
  });

  test('closes an idle connection after the idle timeout', async () => {
    await startGateway({ idleTimeoutSeconds: 1 });
    const { socket } = await connect(`${gateway.url}?token=good`);
    expect(await closed(socket!)).toBe(1001);
  });
});
