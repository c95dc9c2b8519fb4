import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CognitoIdentityProviderClient, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import WebSocket from 'ws';
import { synthesizeConstructTestApp } from './fixtures/websocket-test-app';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

describe('startLocalRuntime on an app built with CognitoAuthorizedWebSocketApi', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-construct-test-'));
  const handlerLogs: string[] = [];
  let runtime: LocalRuntime;
  let cognito: CognitoIdentityProviderClient;

  beforeAll(async () => {
    synthesizeConstructTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: (name, line) => handlerLogs.push(`${name} ${line}`) });
    cognito = new CognitoIdentityProviderClient({
      region: runtime.region, endpoint: runtime.cognitoEndpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
  });

  afterAll(async () => {
    cognito?.destroy();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  async function idTokenOf(username: string): Promise<string> {
    await cognito.send(new SignUpCommand({
      ClientId: runtime.userPoolClientId,
      Username: username,
      Password: 'Correct-horse-1',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }));
    const auth = await cognito.send(new InitiateAuthCommand({
      ClientId: runtime.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Correct-horse-1' },
    }));
    return auth.AuthenticationResult!.IdToken!;
  }

  function open(url: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  test('echoes on $default and gives the route added with addRoute the authorizer context', async () => {
    // GIVEN a user signed in through the local Cognito endpoint, connected with the sample's query string
    const idToken = await idTokenOf('carol');
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString());
    const socket = await open(`${runtime.websocketUrl}?idToken=${idToken}`);
    const replies: string[] = [];
    socket.on('message', (data) => replies.push(data.toString()));
    const replyCount = (n: number) => new Promise<void>((resolve) => {
      const check = () => (replies.length >= n ? resolve() : setTimeout(check, 20));
      check();
    });
    // WHEN they send a plain message, then one for the app's route
    socket.send('hi');
    await replyCount(1);
    socket.send(JSON.stringify({ action: 'whoami' }));
    await replyCount(2);
    socket.close();
    // THEN the construct's echo answers the first, and the app's handler sees who they are
    expect(JSON.parse(replies[0])).toEqual({ message: 'hi' });
    const whoami = JSON.parse(replies[1]);
    expect(whoami.route).toBe('whoami');
    expect(whoami.authorizer).toMatchObject({ userId: claims.sub, username: 'carol', tokenUse: 'id' });
  });

  test('refuses a missing token with 401 and a token of another pool with 403', async () => {
    const status = (url: string) => new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode!);
        response.resume();
        socket.terminate();
      });
      socket.once('open', () => reject(new Error('connected')));
      socket.once('error', () => undefined);
    });
    expect(await status(runtime.websocketUrl)).toBe(401);
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'other' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other', exp: 9999999999 }))
      .toString('base64url');
    expect(await status(`${runtime.websocketUrl}?idToken=${header}.${payload}.c2ln`)).toBe(403);
  });
});
