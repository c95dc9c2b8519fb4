import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { Jwks } from 'aws-jwt-verify/jwk';
import { signIn, signUpAndSignIn } from './cognito-test-user';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { handlerLogEntries, loggedHandlers } from './handler-log-entries';
import { connect, nextMessage } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { eventually, waitFor } from '../eventually';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('startLocalRuntime on a synthesized app', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-runtime-test-'));
  const handlerLogs: string[] = [];
  let runtime: LocalRuntime;
  let dynamo: DynamoDBClient;

  beforeAll(async () => {
    synthesizeWebSocketTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: (name, line) => handlerLogs.push(`${name} ${line}`) });
    dynamo = new DynamoDBClient({ region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials });
  });

  afterAll(async () => {
    dynamo?.destroy();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  const connectionRow = (connectionId: string) => dynamo.send(new GetItemCommand({
    TableName: Object.values(runtime.tableNames)[0],
    Key: { connectionId: { S: connectionId } },
    ConsistentRead: true,
  }));

  test('serves the template\'s API at its stage with the endpoints a client needs', () => {
    expect(runtime.websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/prod$/);
    expect(runtime.callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
    expect(runtime.userPoolId).toMatch(new RegExp(`^${runtime.region}_[0-9A-Za-z]+$`));
    expect(runtime.apis[0].routeKeys.sort()).toEqual(['$connect', '$default', '$disconnect', 'whoami']);
  });

  test('a signed-in user connects with the ID token, gets the echo, and has a row until the connection closes', async () => {
    // GIVEN a user who signed up and signed in through the Cognito-compatible endpoint
    const idToken = await signUpAndSignIn(runtime, 'alice');
    const sub = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()).sub;
    // WHEN they connect with the token the way the AWS sample's client does
    const { socket, status } = await connect(`${runtime.websocketUrl}?idToken=${idToken}`);
    expect(status).toBeUndefined();
    const reply = nextMessage(socket!);
    socket!.send('hello');
    // THEN the deployed echo handler answers through the local management API
    expect(JSON.parse(await reply)).toEqual({ message: 'hello' });
    // AND the deployed connect handler wrote the row to the local table
    const [connectionId] = await eventually('the connect handler to log the connection', () => collectConnectionIds(handlerLogs), (ids) => ids.length > 0);
    const row = await connectionRow(connectionId);
    expect(row.Item?.userId?.S).toBe(sub);
    // WHEN the client closes, THEN $disconnect deletes the row
    socket!.close();
    await eventually(`$disconnect to delete the row of ${connectionId}`, () => connectionRow(connectionId), (result) => result.Item === undefined);
    // AND the management API answers GoneException (410) for the closed connection
    const management = new ApiGatewayManagementApiClient({ region: runtime.region, endpoint: runtime.callbackUrl, credentials });
    const error = await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('late') })).catch((e) => e);
    management.destroy();
    expect(error).toBeInstanceOf(GoneException);
  });

  test('refuses a connection without a token (401) and with a bad token (403)', async () => {
    expect((await connect(runtime.websocketUrl)).status).toBe(401);
    expect((await connect(`${runtime.websocketUrl}?idToken=not.a.token`)).status).toBe(403);
    const forged = (await signUpAndSignIn(runtime, 'mallory')).replace(/.{4}$/, 'AAAA');
    expect((await connect(`${runtime.websocketUrl}?idToken=${forged}`)).status).toBe(403);
  });

  test('the app\'s own route (inline code, a layer) receives the authorizer context and its environment resolved locally', async () => {
    const idToken = await signUpAndSignIn(runtime, 'bob');
    const sub = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()).sub;
    const { socket } = await connect(`${runtime.websocketUrl}?idToken=${idToken}`);
    const reply = nextMessage(socket!);
    socket!.send(JSON.stringify({ action: 'whoami' }));
    const answer = JSON.parse(await reply);
    socket!.close();
    expect(answer.route).toBe('whoami');
    expect(answer.authorizer).toMatchObject({ userId: sub, principalId: sub, username: 'bob', tokenUse: 'id' });
    expect(Object.values(runtime.tableNames)).toContain(answer.table);
    expect(answer.layer).toBe('hello from a layer');
  });

  test('the demo user signs in with the printed credentials and gets an ID token of the pool, signed with a key its JWKS serves', async () => {
    // WHEN the demo user signs in
    const idToken = await signIn(runtime, runtime.demoUser!.username, runtime.demoUser!.password);
    // THEN the token names the pool as Cognito would, is an ID token for the app client, and is the demo user's
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      'iss': `https://cognito-idp.${runtime.region}.amazonaws.com/${runtime.userPoolId}`,
      'aud': runtime.userPoolClientId,
      'token_use': 'id',
      'cognito:username': runtime.demoUser!.username,
    });
    // AND its signature verifies against the JWKS the local Cognito endpoint serves for the pool (claims checked again)
    const jwks = await (await fetch(`${runtime.cognitoEndpoint}/${runtime.userPoolId}/.well-known/jwks.json`)).json() as Jwks;
    const verifier = CognitoJwtVerifier.create({ userPoolId: runtime.userPoolId!, clientId: runtime.userPoolClientId!, tokenUse: 'id' });
    verifier.cacheJwks(jwks);
    await expect(verifier.verify(idToken)).resolves.toMatchObject({ sub: claims.sub, token_use: 'id' });
  });

  test('serves the endpoints as /config.json for the web client', async () => {
    const config = await (await fetch(new URL('config.json', runtime.webUrl))).json();
    expect(config).toEqual({
      websocketUrl: runtime.websocketUrl,
      callbackUrl: runtime.callbackUrl,
      region: runtime.region,
      userPoolId: runtime.userPoolId,
      userPoolClientId: runtime.userPoolClientId,
      cognitoEndpoint: runtime.cognitoEndpoint,
      webUrl: runtime.webUrl,
      outputs: {},
    });
  });

  test('answers 400 to a path with a malformed percent-escape and keeps serving', async () => {
    expect((await fetch(`${runtime.webUrl}%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${runtime.cognitoEndpoint}/%E0/.well-known/jwks.json`)).status).toBe(400);
    expect((await fetch(new URL('config.json', runtime.webUrl))).status).toBe(200);
  });

  test('no handler logs a token, for an accepted connection or a refused one', async () => {
    // GIVEN a user who connects, sends a message and leaves, and a connection refused for a forged token
    handlerLogs.length = 0;
    const idToken = await signUpAndSignIn(runtime, 'erin');
    const forged = idToken.replace(/.{4}$/, 'AAAA');
    const { socket } = await connect(`${runtime.websocketUrl}?idToken=${idToken}`);
    const reply = nextMessage(socket!);
    socket!.send('hello');
    await reply;
    socket!.close();
    expect((await connect(`${runtime.websocketUrl}?idToken=${forged}`)).status).toBe(403);
    // WHEN the construct's four handlers have logged ($disconnect runs after the close)
    await waitFor('authorizer, connect, echo and disconnect to log', () =>
      ['authorizer', 'connect', 'echo', 'disconnect'].every((name) => loggedHandlers(handlerLogs).has(name)));
    // THEN no line holds a token or its signature
    const secrets = [idToken, idToken.split('.')[2], forged.split('.')[2]];
    expect(handlerLogs.filter((line) => line.includes('eyJ') || secrets.some((secret) => line.includes(secret)))).toEqual([]);
  });
});

/** Connection ids as the deployed connect handler logs them (one JSON line per event). */
function collectConnectionIds(lines: string[]): string[] {
  return handlerLogEntries(lines)
    .filter((entry) => entry.handler === 'connect' && entry.outcome === 'connected' && typeof entry.connectionId === 'string')
    .map((entry) => entry.connectionId as string);
}
