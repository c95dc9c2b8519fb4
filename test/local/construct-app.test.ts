import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { signUpAndSignIn } from './cognito-test-user';
import { synthesizeConstructTestApp } from './fixtures/websocket-test-app';
import { connect, nextMessage, open } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

describe('startLocalRuntime on an app built with CognitoAuthorizedWebSocketApi', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-construct-test-'));
  const handlerLogs: string[] = [];
  let runtime: LocalRuntime;

  beforeAll(async () => {
    synthesizeConstructTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: (name, line) => handlerLogs.push(`${name} ${line}`) });
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  test('echoes on $default and gives the route added with addRoute the authorizer context', async () => {
    // GIVEN a user signed in through the local Cognito endpoint, connected with the sample's query string
    const idToken = await signUpAndSignIn(runtime, 'carol');
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString());
    const socket = await open(`${runtime.websocketUrl}?idToken=${idToken}`);
    // WHEN they send a plain message, then one for the app's route
    const echoReply = nextMessage(socket);
    socket.send('hi');
    const echoed = await echoReply;
    const whoamiReply = nextMessage(socket);
    socket.send(JSON.stringify({ action: 'whoami' }));
    const whoami = JSON.parse(await whoamiReply);
    socket.close();
    // THEN the construct's echo answers the first, and the app's handler sees who they are
    expect(JSON.parse(echoed)).toEqual({ message: 'hi' });
    expect(whoami.route).toBe('whoami');
    expect(whoami.authorizer).toMatchObject({ userId: claims.sub, username: 'carol', tokenUse: 'id' });
  });

  test('refuses a missing token with 401 and a token of another pool with 403', async () => {
    expect((await connect(runtime.websocketUrl)).status).toBe(401);
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'other' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other', exp: 9999999999 }))
      .toString('base64url');
    expect((await connect(`${runtime.websocketUrl}?idToken=${header}.${payload}.c2ln`)).status).toBe(403);
  });

  test('the construct\'s handlers logged the connections above without a token in any line', () => {
    // THEN (after the accepted and refused connections above) every handler wrote its lines, none with a JWT
    const handlers = new Set(handlerLogs.map((line) => line.split(' ')[0]));
    expect(handlers.size).toBeGreaterThanOrEqual(3);
    expect(handlerLogs.filter((line) => line.includes('eyJ') || line.includes('c2ln'))).toEqual([]);
  });
});
