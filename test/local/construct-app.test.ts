import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { signInToAnotherPool, signUpAndSignIn } from './cognito-test-user';
import { synthesizeConstructTestApp } from './fixtures/websocket-test-app';
import { loggedHandlers } from './handler-log-entries';
import { connect, nextMessage, open } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { waitFor } from '../eventually';

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

  test('refuses a missing token with 401 and a real, signed token of another pool with 403', async () => {
    expect((await connect(runtime.websocketUrl)).status).toBe(401);
    const otherPoolToken = await signInToAnotherPool(runtime.region);
    expect((await connect(`${runtime.websocketUrl}?idToken=${otherPoolToken}`)).status).toBe(403);
  });

  test('the construct\'s handlers log an accepted and a refused connection without a token in any line', async () => {
    // GIVEN a signed-in user who connects, sends a message and leaves, and a connection refused for another pool's token
    handlerLogs.length = 0;
    const idToken = await signUpAndSignIn(runtime, 'dana');
    const otherPoolToken = await signInToAnotherPool(runtime.region);
    const socket = await open(`${runtime.websocketUrl}?idToken=${idToken}`);
    const reply = nextMessage(socket);
    socket.send('hi');
    await reply;
    socket.close();
    expect((await connect(`${runtime.websocketUrl}?idToken=${otherPoolToken}`)).status).toBe(403);
    // WHEN every handler has written its lines ($disconnect runs after the close)
    await waitFor('authorizer, connect, echo and disconnect to log', () =>
      ['authorizer', 'connect', 'echo', 'disconnect'].every((name) => loggedHandlers(handlerLogs).has(name)));
    // THEN no line holds a token or a token's signature
    const secrets = [idToken, otherPoolToken].flatMap((token) => [token, token.split('.')[2]]);
    expect(handlerLogs.filter((line) => line.includes('eyJ') || secrets.some((secret) => line.includes(secret)))).toEqual([]);
  });
});
