import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import WebSocket from 'ws';
import {
  authorizerEvent, ConnectionFacts, connectEvent, disconnectEvent, EventStage, handshakeQueryString, messageEvent,
} from '../../local/api-gateway-events';
import { FunctionRunner } from '../../local/function-runner';
import { WebSocketGateway } from '../../local/websocket-gateway';

const stage: EventStage = { apiId: 'abcde12345', stage: 'prod', domainName: '127.0.0.1:4000' };
const connection: ConnectionFacts = {
  connectionId: 'L0SM9cOFvHcCIhw=',
  connectedAt: 1_700_000_000_000,
  sourceIp: '127.0.0.1',
  userAgent: 'test-agent',
  headers: { Host: '127.0.0.1:4000' },
  multiValueHeaders: { Host: ['127.0.0.1:4000'] },
};
const allowed: ConnectionFacts = { ...connection, authorizer: { userId: 'user-1', principalId: 'user-1', integrationLatency: 0 } };

describe('the events the gateway gives a WebSocket API\'s functions', () => {
  test('the authorizer gets a REQUEST event with the method ARN, headers, query string and a CONNECT request context, no REST fields', () => {
    const event = authorizerEvent(stage, connection, handshakeQueryString(new URL('ws://h/prod?idToken=t&a=1&a=2')), 'arn:method');
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:method',
      headers: { Host: '127.0.0.1:4000' },
      queryStringParameters: { idToken: 't', a: '2' },
      multiValueQueryStringParameters: { idToken: ['t'], a: ['1', '2'] },
      stageVariables: {},
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        messageDirection: 'IN',
        stage: 'prod',
        connectedAt: 1_700_000_000_000,
        identity: { sourceIp: '127.0.0.1', userAgent: 'test-agent' },
        domainName: '127.0.0.1:4000',
        connectionId: 'L0SM9cOFvHcCIhw=',
        apiId: 'abcde12345',
      },
    });
    expect(Object.keys(event).filter((key) => ['resource', 'path', 'httpMethod', 'pathParameters'].includes(key))).toEqual([]);
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  test('the authorizer gets empty query string maps when the handshake has no query string; the $connect route gets none', () => {
    const query = handshakeQueryString(new URL('ws://h/prod'));
    expect(authorizerEvent(stage, connection, query, 'arn:method')).toMatchObject({ queryStringParameters: {}, multiValueQueryStringParameters: {} });
    expect(Object.keys(connectEvent(stage, connection, query))).not.toContain('queryStringParameters');
  });

  test('the $connect route gets the headers, the query string and the authorizer context', () => {
    const event = connectEvent(stage, allowed, handshakeQueryString(new URL('ws://h/prod?x=1')));
    expect(event).toMatchObject({
      headers: { Host: '127.0.0.1:4000' },
      queryStringParameters: { x: '1' },
      isBase64Encoded: false,
      requestContext: { routeKey: '$connect', eventType: 'CONNECT', authorizer: { userId: 'user-1', principalId: 'user-1' } },
    });
    expect(event.requestContext.messageId).toBeUndefined();
  });

  test('a message gets its body, a message id and the authorizer context, and no headers', () => {
    const event = messageEvent(stage, allowed, 'whoami', '{"action":"whoami"}');
    expect(event).toMatchObject({
      body: '{"action":"whoami"}',
      isBase64Encoded: false,
      requestContext: { routeKey: 'whoami', eventType: 'MESSAGE', authorizer: { userId: 'user-1' } },
    });
    expect(event.requestContext.messageId).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(event.headers).toBeUndefined();
    // a connection without an authorizer has no authorizer key at all
    expect(Object.keys(messageEvent(stage, connection, '$default', 'x').requestContext)).not.toContain('authorizer');
  });

  test('$disconnect gets the headers, the close code and reason, and the authorizer context', () => {
    expect(disconnectEvent(stage, allowed, 1001, 'Going away')).toMatchObject({
      headers: { Host: '127.0.0.1:4000' },
      requestContext: {
        routeKey: '$disconnect',
        eventType: 'DISCONNECT',
        disconnectStatusCode: 1001,
        disconnectReason: 'Going away',
        authorizer: { userId: 'user-1' },
      },
    });
  });
});

describe('a handshake with a header and a query parameter named __proto__ and constructor', () => {
  const codeDirectory = mkdtempSync(path.join(tmpdir(), 'gateway-keys-'));
  const lines: string[] = [];
  let runner: FunctionRunner;
  let gateway: WebSocketGateway;

  beforeAll(async () => {
    // Each function logs what it received under those four keys, then lets the connection in.
    writeFileSync(path.join(codeDirectory, 'index.js'), `
      const keys = (map) => map ? Object.fromEntries(['__proto__', 'constructor'].map((key) => [key, Object.hasOwn(map, key) ? map[key] : 'absent'])) : 'absent';
      const report = (name, event) => console.log(name + ' ' + JSON.stringify({
        headers: keys(event.headers), multiValueHeaders: keys(event.multiValueHeaders),
        query: keys(event.queryStringParameters), multiValueQuery: keys(event.multiValueQueryStringParameters),
      }));
      exports.authorizer = async (event) => {
        report('authorizer', event);
        return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] } };
      };
      exports.connect = async (event) => { report('connect', event); return { statusCode: 200 }; };
    `);
    runner = new FunctionRunner({ region: 'eu-west-1', accountId: '000000000000', onLog: (_name, line) => lines.push(line) });
    for (const name of ['authorizer', 'connect']) {
      runner.register({ name, codeDirectory, handler: `index.${name}`, timeoutSeconds: 10, memorySizeMb: 128, environment: {} });
    }
    gateway = new WebSocketGateway({
      apiId: 'abcde12345',
      stage: 'prod',
      region: 'eu-west-1',
      accountId: '000000000000',
      routeSelectionExpression: '$request.body.action',
      routes: [{ routeKey: '$connect', functionName: 'connect' }],
      authorizer: { functionName: 'authorizer', identitySource: ['route.request.querystring.constructor', 'route.request.header.__proto__'] },
      invoke: (name, event) => runner.invoke(name, event),
    });
    await gateway.start();
  });

  afterAll(async () => {
    await gateway?.stop();
    await runner?.close();
    rmSync(codeDirectory, { recursive: true, force: true });
  });

  test('connects, and the authorizer and $connect receive both keys with their values', async () => {
    // GIVEN headers built with JSON.parse, since an object literal's __proto__ would set the prototype instead
    const headers = JSON.parse('{"__proto__": "header-proto", "constructor": "header-constructor"}') as Record<string, string>;
    // WHEN a real WebSocket client connects with them and with both names in the query string
    const socket = new WebSocket(`${gateway.url}?__proto__=query-proto&constructor=query-constructor`, { headers });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('open', () => resolve('open'));
      socket.once('unexpected-response', (_request, response) => resolve(`refused with ${response.statusCode}`));
      socket.once('error', (error) => resolve(`failed: ${error.message}`));
    });
    socket.terminate();
    // THEN the handshake succeeds
    expect(outcome).toBe('open');
    // AND each function saw every key as an ordinary entry
    const expected = JSON.parse(`{
      "headers": { "__proto__": "header-proto", "constructor": "header-constructor" },
      "multiValueHeaders": { "__proto__": ["header-proto"], "constructor": ["header-constructor"] },
      "query": { "__proto__": "query-proto", "constructor": "query-constructor" },
      "multiValueQuery": { "__proto__": ["query-proto"], "constructor": ["query-constructor"] }
    }`);
    for (const name of ['authorizer', 'connect']) {
      const line = await waitForLine((candidate) => candidate.startsWith(`${name} `));
      expect(JSON.parse(line.slice(name.length + 1))).toEqual(expected);
    }
  });

  async function waitForLine(matches: (line: string) => boolean): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const line = lines.find(matches);
      if (line !== undefined) return line;
      if (Date.now() > deadline) throw new Error(`no such handler line within 10 s; lines: ${lines.join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});
