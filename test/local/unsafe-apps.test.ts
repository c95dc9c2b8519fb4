import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { synthesizeUnsafeApp, UNSAFE_APP_STACK } from './fixtures/unsafe-apps';
import { nextMessage, open } from './websocket-test-client';
import { startLocalRuntime } from '../../local/local-runtime';

// The runtime fails closed: an app it would serve with less protection than AWS gives it is refused at start, with
// the API, route or function named and what the developer can do; and nothing in a template writes outside the
// runtime's own directories.
describe('the local runtime on an app it cannot serve as AWS would', () => {
  let assembly: string;
  beforeEach(() => {
    assembly = mkdtempSync(path.join(tmpdir(), 'local-unsafe-app-'));
  });
  afterEach(() => rmSync(assembly, { recursive: true, force: true }));

  test('refuses to start when $connect is authorized with AWS_IAM, naming the API, the route and the ways out', async () => {
    // GIVEN an app whose $connect route requires IAM authorization
    synthesizeUnsafeApp(assembly, 'iam-connect');
    // WHEN the runtime starts on it, THEN it refuses rather than open the route to anyone
    const start = startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
    await expect(start).rejects.toThrow(`API unsafe-api (${UNSAFE_APP_STACK}), route $connect: authorization type AWS_IAM is not emulated`);
    await expect(start).rejects.toThrow(/a Lambda REQUEST authorizer .*CognitoAuthorizedWebSocketApi.*or run the API in AWS/);
  });

  test('refuses to start when a function\'s environment variable cannot be resolved, naming the function, the variable and why', async () => {
    // GIVEN an app whose REQUIRED_GROUPS comes from another stack's export (left empty, it would turn the group check off)
    synthesizeUnsafeApp(assembly, 'unresolvable-variable');
    // WHEN the runtime starts on it, THEN it refuses rather than run the function with an empty value
    const start = startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
    await expect(start).rejects.toThrow(
      new RegExp(`^function Echo[0-9A-F]{8} \\(${UNSAFE_APP_STACK}\\): environment variable REQUIRED_GROUPS cannot be resolved locally \\(no stack exports shared-required-groups\\)`));
    await expect(start).rejects.toThrow(/give it a value the app defines .* or run the function in AWS/);
  });

  test('writes a function\'s inline code under its own directory whatever the template names the function', async () => {
    // GIVEN an app whose inline function is named to climb out of the directory its code is written to
    const escaped = `escaped-${path.basename(assembly)}`;
    synthesizeUnsafeApp(assembly, 'climbing-function-name', `../${escaped}`);
    const runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
    try {
      // WHEN it runs, THEN nothing was written where the name points
      expect(existsSync(path.join(tmpdir(), escaped))).toBe(false);
      // AND the function still serves its route
      const socket = await open(runtime.websocketUrl);
      const reply = nextMessage(socket);
      socket.send('inline code ran');
      expect(await reply).toBe('inline code ran');
      socket.close();
    } finally {
      await runtime.stop();
      rmSync(path.join(tmpdir(), escaped), { recursive: true, force: true });
    }
  });
});
