import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import WebSocket from 'ws';
import { signUpAndSignIn } from './cognito-test-user';
import { closeAll, connect, open } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { CognitoAuthorizedWebSocketApi } from '../../src';
import { waitFor } from '../eventually';

// The construct's `throttle` becomes the stage's DefaultRouteSettings; the local runtime reads them from the template
// and holds each route to them, as API Gateway does.
describe('startLocalRuntime applies the throttle of the app\'s stage', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-throttle-test-'));
  let runtime: LocalRuntime;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    // Bursts of 2 per route, refilled once in 100 seconds: nothing refills while the test runs.
    const app = new App({ outdir: assembly });
    new CognitoAuthorizedWebSocketApi(new Stack(app, 'ThrottledStack'), 'Chat', { throttle: { rateLimit: 0.01, burstLimit: 2 } });
    app.synth();
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
  });

  afterAll(async () => {
    await closeAll(sockets);
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  test('a third connect in a burst of 2 is refused with 429; a third message is answered Too Many Requests', async () => {
    // GIVEN a signed-in user with two connections open: the $connect route's burst
    const idToken = await signUpAndSignIn(runtime, 'erin');
    const url = `${runtime.websocketUrl}?idToken=${idToken}`;
    sockets.push(await open(url), await open(url));

    // WHEN a third connection is opened
    // THEN it is refused with 429
    expect((await connect(url)).status).toBe(429);

    // WHEN one connection sends three messages to the echo ($default)
    const frames: string[] = [];
    sockets[0].on('message', (data) => frames.push(data.toString()));
    for (const text of ['one', 'two', 'three']) sockets[0].send(text);

    // THEN the first two are echoed and the third is answered as throttled
    await waitFor('three answers', () => frames.length === 3);
    const answers = frames.map((frame) => JSON.parse(frame));
    expect(answers.filter((answer) => answer.message === 'Too Many Requests')).toEqual([
      { message: 'Too Many Requests', connectionId: expect.any(String), requestId: expect.any(String) },
    ]);
    expect(answers.map((answer) => answer.message).filter((message) => message !== 'Too Many Requests').sort()).toEqual(['one', 'two']);
  });
});
