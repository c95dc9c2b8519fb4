import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import WebSocket from 'ws';
import { eventually } from '../eventually';
import { synthesizeSessionsApp } from './fixtures/sessions-app';
import { jwtClaims } from './local-identity-fixture';
import { closed, connect } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

const PASSWORD = 'Correct-horse-1';
const APP_PROTOCOL = 'chat.v1';

/**
 * The local runtime serving an API that takes access tokens in the subprotocol, with a required scope and group, a
 * connection limit and connections that end with their token; real `ws` clients, tokens from the runtime's identity
 * endpoint, the construct's own handlers.
 */
describe('sessions through the local runtime', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'sessions-'));
  const open: WebSocket[] = [];
  let runtime: LocalRuntime;
  let cognito: CognitoIdentityProviderClient;
  let dynamoDb: DynamoDBClient;

  const tokens = async (username: string, clientId = runtime.authorizer.acceptedClientIds[0]) => (await cognito.send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PASSWORD },
  }))).AuthenticationResult!;
  const offer = async (protocols: string[]) => {
    const result = await connect(runtime.websocketUrl, protocols);
    if (result.socket) open.push(result.socket);
    return result;
  };
  /** The rows of the user of `accessToken` that record that token's expiry: the connections it opened. */
  const rowsOpenedWith = async (accessToken: string) => {
    const { sub, exp } = jwtClaims(accessToken) as { sub: string; exp: number };
    const { Items } = await dynamoDb.send(new QueryCommand({
      TableName: Object.values(runtime.tableNames)[0],
      IndexName: 'userIdIndex',
      KeyConditionExpression: 'userId = :sub',
      FilterExpression: 'expiresAt = :exp',
      ExpressionAttributeValues: { ':sub': { S: sub }, ':exp': { N: String(exp) } },
    }));
    return Items ?? [];
  };
  const closeAll = async () => {
    await Promise.all(open.splice(0).map((socket) => {
      if (socket.readyState === WebSocket.CLOSED) return undefined;
      const done = closed(socket);
      socket.close();
      return done;
    }));
  };

  beforeAll(async () => {
    synthesizeSessionsApp(assembly);
    runtime = await startLocalRuntime({
      cloudAssembly: assembly,
      users: [
        { username: 'member', password: PASSWORD, groups: ['members'] },
        { username: 'limited', password: PASSWORD, groups: ['members'] },
        { username: 'outsider', password: PASSWORD },
        // one user per test below, so no test waits for another's $disconnect to free a place under the limit
        ...['expires-echo', 'expires-sweeper', 'steady'].map((username) => ({ username, password: PASSWORD, groups: ['members'] })),
      ],
      onHandlerLog: () => undefined,
    });
    cognito = new CognitoIdentityProviderClient({
      region: runtime.region, endpoint: runtime.cognitoEndpoint, credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    });
    dynamoDb = new DynamoDBClient({
      region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    });
  }, 60_000);

  afterEach(closeAll);

  afterAll(async () => {
    cognito?.destroy();
    dynamoDb?.destroy();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  test('/config.json tells a web client to offer an access token as a subprotocol', async () => {
    const config = await (await fetch(new URL('config.json', runtime.webUrl))).json();
    expect(config).toMatchObject({ tokenSource: { kind: 'subprotocol', name: 'Sec-WebSocket-Protocol' }, tokenUse: 'access' });
  });

  test('the subprotocol handshake answers with the application protocol, never the token', async () => {
    const { AccessToken } = await tokens('member');
    const { socket } = await offer([APP_PROTOCOL, AccessToken!]);
    expect(socket?.protocol).toBe(APP_PROTOCOL);
  });

  test('a token offered without an application protocol is refused (403): no protocol could be answered', async () => {
    const { AccessToken } = await tokens('member');
    expect((await offer([AccessToken!])).status).toBe(403);
  });

  test('an ID token is refused (403) where access tokens with a scope are required', async () => {
    const { IdToken } = await tokens('member');
    expect((await offer([APP_PROTOCOL, IdToken!])).status).toBe(403);
  });

  test('a user outside the required group is refused (403); a member is admitted', async () => {
    expect((await offer([APP_PROTOCOL, (await tokens('outsider')).AccessToken!])).status).toBe(403);
    expect((await offer([APP_PROTOCOL, (await tokens('member')).AccessToken!])).socket).toBeDefined();
  });

  test('the third connection of a user is refused (429); once one closes, the user connects again', async () => {
    // GIVEN a user holding the 2 connections the API allows
    const { AccessToken } = await tokens('limited');
    const first = (await offer([APP_PROTOCOL, AccessToken!])).socket!;
    expect((await offer([APP_PROTOCOL, AccessToken!])).socket).toBeDefined();
    // WHEN a third opens THEN the handshake is refused with 429
    expect((await offer([APP_PROTOCOL, AccessToken!])).status).toBe(429);
    // WHEN one closes ($disconnect deletes its row) THEN a new one is admitted
    const done = closed(first);
    first.close();
    await done;
    // (a cold $disconnect worker on a loaded machine can take seconds)
    await eventually('a fourth connection to be admitted', () => offer([APP_PROTOCOL, AccessToken!]), (result) => result.socket !== undefined, 45_000);
  }, 60_000);

  describe('a connection ends with its token', () => {
    const shortLivedClient = () => runtime.authorizer.acceptedClientIds[1];

    test('the token\'s expiry is in the row, and a message after it is not echoed: the connection is closed and its row deleted', async () => {
      // GIVEN a warm echo function (its first start on a loaded machine can outlast the short token)
      const warmResult = await offer([APP_PROTOCOL, (await tokens('steady')).AccessToken!]);
      expect(warmResult.status).toBeUndefined();
      const warm = warmResult.socket!;
      const warmed = new Promise((resolve) => warm.once('message', resolve));
      warm.send('warm up');
      await warmed;
      // AND a connection opened with a token that expires in a few seconds
      const { AccessToken } = await tokens('expires-echo', shortLivedClient());
      const exp = jwtClaims(AccessToken!).exp as number;
      const socket = (await offer([APP_PROTOCOL, AccessToken!])).socket!;
      const messages: string[] = [];
      socket.on('message', (data) => messages.push(data.toString()));
      // (before expiry the echo answers; the answer names nothing, so the connection id comes from the table)
      socket.send('before');
      await eventually('the echo before expiry', () => messages.length, (count) => count === 1);
      expect(await rowsOpenedWith(AccessToken!)).toEqual([expect.objectContaining({
        expiresAt: { N: String(exp) }, expiryMinute: { N: String(Math.floor(exp / 60)) },
      })]);
      // WHEN the token has expired and the client sends again
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 1_100));
      const closing = closed(socket);
      socket.send('after');
      // THEN the runtime closes the connection (DeleteConnection: 1000) and nothing more is echoed
      expect(await closing).toBe(1000);
      expect(messages).toEqual([JSON.stringify({ message: 'before' })]);
      await eventually('the row to be deleted', () => rowsOpenedWith(AccessToken!), (rows) => rows.length === 0);
    }, 60_000);

    test('the sweeper, run on its schedule, closes an expired connection that sends nothing, and deletes its row', async () => {
      expect(runtime.scheduledFunctions).toHaveLength(1);
      // GIVEN an idle connection opened with a token that expires in a few seconds
      const { AccessToken } = await tokens('expires-sweeper', shortLivedClient());
      const exp = jwtClaims(AccessToken!).exp as number;
      const socket = (await offer([APP_PROTOCOL, AccessToken!])).socket!;
      const closing = closed(socket);
      // WHEN it expires and the schedule ticks
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 1_100));
      await runtime.runSchedules();
      // THEN the connection is closed, and its row deleted
      expect(await closing).toBe(1000);
      await eventually('the row to be deleted', () => rowsOpenedWith(AccessToken!), (rows) => rows.length === 0);
    }, 30_000);

    test('a connection whose token is still valid is left open by the sweeper', async () => {
      const { AccessToken } = await tokens('steady');
      const socket = (await offer([APP_PROTOCOL, AccessToken!])).socket!;
      await runtime.runSchedules();
      expect(socket.readyState).toBe(WebSocket.OPEN);
      expect(await rowsOpenedWith(AccessToken!)).toHaveLength(1);
    });
  });
});
