import { execFile } from 'child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createConnection, createServer, Server, Socket } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { CliProcess, ensureStopped, exitWithin, startCli } from './cli-process';
import { signIn } from './cognito-test-user';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { handlerLogEntries } from './handler-log-entries';
import { childPids, isAlive } from './process-liveness';
import { openAndStall } from './raw-socket-client';
import { closed, nextMessage, open } from './websocket-test-client';
import { DEFAULT_DEMO_USER } from '../../local/local-runtime';
import { eventually, waitFor } from '../eventually';

// The shipped bin (built by the bundle task), run from a copy outside the repository, as `npx
// cdk-cognito-websocket-api` runs it from a consumer's node_modules: no dependency of this repository is reachable.
const builtRuntime = path.join(__dirname, '..', '..', 'assets', 'local');
const shipped = mkdtempSync(path.join(tmpdir(), 'local-cli-shipped-'));
const cli = path.join(shipped, 'assets', 'local', 'cli.js');

/** The connection ids whose $connect or $disconnect handler logged `outcome` (the handlers log to the CLI's stderr). */
function loggedConnections(running: CliProcess, handler: 'connect' | 'disconnect', outcome: string): string[] {
  return handlerLogEntries(running.stderr)
    .filter((entry) => entry.handler === handler && entry.outcome === outcome)
    .map((entry) => String(entry.connectionId));
}

/** Resolves once a TCP connect to the URL's port is refused: nothing listens there any more. */
function portClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Runs `script` in a fresh Node.js process (TypeScript through ts-node) with only `env` and a PATH; resolves with its stdout. */
function runNode(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--require', require.resolve('ts-node/register/transpile-only'), '-e', script], {
      env: { PATH: process.env.PATH, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json'), ...env },
    }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
  });
}
/** Tests that start the bin twice: each start may take most of a minute on a loaded machine. */
const TWO_STARTS_MS = 150_000;

describe('cdk-cognito-websocket-api local', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-cli-test-'));
  beforeAll(() => {
    // assets/ is up to date: jest's globalSetup (test/build-bundles.ts) built it before any test file ran.
    cpSync(builtRuntime, path.dirname(cli), { recursive: true });
    synthesizeWebSocketTestApp(assembly);
  });
  afterAll(() => {
    rmSync(assembly, { recursive: true, force: true });
    rmSync(shipped, { recursive: true, force: true });
  });

  /** The bin on the synthesized app, on free ports, printing its endpoints as JSON. */
  const startOnAssembly = (...extra: string[]) => startCli(process.execPath, [cli, 'local', '--app', assembly, '--port', '0', '--json', ...extra]);

  test('prints the endpoints as one JSON line, serves them, and on Ctrl-C stops with no process or port left', async () => {
    // GIVEN the bin started on a synthesized app
    const running = startOnAssembly();
    try {
      const endpoints = JSON.parse(await running.firstLine);
      expect(Object.keys(endpoints)).toEqual(expect.arrayContaining([
        'websocketUrl', 'callbackUrl', 'region', 'userPoolId', 'userPoolClientId', 'cognitoEndpoint', 'webUrl',
      ]));

      // WHEN the printed demo user signs in and connects
      const idToken = await signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password);
      const socket = await open(`${endpoints.websocketUrl}?idToken=${idToken}`);
      const clientClosed = closed(socket);
      // AND the example web client ships with the bin and is served with the endpoints
      const page = await fetch(endpoints.webUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      expect(await (await fetch(new URL('config.json', endpoints.webUrl))).json()).toMatchObject({ websocketUrl: endpoints.websocketUrl });
      const workers = childPids(running.child.pid!);
      expect(workers.length).toBeGreaterThan(0);

      // AND the user presses Ctrl-C
      running.child.kill('SIGINT');

      // THEN the open connection is closed as "going away", the process exits 0, and its workers and ports are gone
      expect(await clientClosed).toBe(1001);
      expect(await exitWithin(running, 'the bin after Ctrl-C')).toBe(0);
      expect(workers.filter(isAlive)).toEqual([]);
      for (const url of [endpoints.webUrl, endpoints.callbackUrl]) {
        await expect(fetch(url)).rejects.toThrow();
      }
    } finally {
      await ensureStopped(running);
    }
  });

  test('SIGTERM stops it cleanly: exit 0, $disconnect ran for the open connection, every port free', async () => {
    // GIVEN a connected demo user
    const running = startOnAssembly();
    try {
      const endpoints = JSON.parse(await running.firstLine);
      const idToken = await signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password);
      const socket = await open(`${endpoints.websocketUrl}?idToken=${idToken}`);
      const clientClosed = closed(socket);
      const [connectionId] = await eventually('the connect handler to log the connection',
        () => loggedConnections(running, 'connect', 'connected'), (ids) => ids.length === 1);
      const workers = childPids(running.child.pid!);

      // WHEN the process is asked to terminate (a process manager, `docker stop`, a closed terminal)
      running.child.kill('SIGTERM');

      // THEN the client is told the server is going away, the process exits 0 after $disconnect deleted the row
      expect(await clientClosed).toBe(1001);
      expect(await exitWithin(running, 'the bin after SIGTERM')).toBe(0);
      expect(loggedConnections(running, 'disconnect', 'disconnected')).toEqual([connectionId]);
      // AND nothing of it is left: no worker, nothing listening on any of its ports
      expect(workers.filter(isAlive)).toEqual([]);
      for (const url of [endpoints.webUrl, endpoints.cognitoEndpoint, endpoints.callbackUrl, endpoints.websocketUrl.replace(/^ws/, 'http')]) {
        expect(await portClosed(url)).toBe(true);
      }
    } finally {
      await ensureStopped(running);
    }
  });

  test('a second Ctrl-C while it is stopping exits at once with 130', async () => {
    // GIVEN a connection whose client completed the handshake and then stopped reading: stopping waits for its close
    const running = startOnAssembly();
    let stalled: Socket | undefined;
    try {
      const endpoints = JSON.parse(await running.firstLine);
      const idToken = await signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password);
      stalled = await openAndStall(`${endpoints.websocketUrl}?idToken=${idToken}`);
      const workers = childPids(running.child.pid!);

      // WHEN Ctrl-C is pressed, and pressed again while it is stopping
      running.child.kill('SIGINT');
      await waitFor('the bin to say it is stopping', () => running.stderr.includes('SIGINT: stopping'));
      running.child.kill('SIGINT');

      // THEN it leaves at once, with the shell's code for an interrupt, and its workers follow it
      expect(await exitWithin(running, 'the bin after a second Ctrl-C')).toBe(130);
      await waitFor('the workers to exit with their parent', () => workers.filter(isAlive).length === 0);
    } finally {
      stalled?.destroy();
      await ensureStopped(running);
    }
  });

  test('a port in use is reported by number, with the way out', async () => {
    // GIVEN a port something else listens on
    const occupier = await listenOnFreePort();
    const port = (occupier.address() as { port: number }).port;
    const running = startCli(process.execPath, [cli, 'local', '--app', assembly, '--port', String(port)]);
    try {
      // WHEN the bin is told to use it, THEN it exits 1 naming the port and what to do
      expect(await exitWithin(running, 'the bin on a port in use', 60_000)).toBe(1);
      expect(running.stderr).toContain(`port ${port} is in use: give another with --port <n>, or --port 0 for any free ports`);
    } finally {
      await ensureStopped(running);
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  test('--no-demo-user creates no demo user', async () => {
    const running = startOnAssembly('--no-demo-user');
    try {
      const endpoints = JSON.parse(await running.firstLine);
      // THEN no credentials are printed, and the default demo user does not exist (the fixture's client leaves
      // PreventUserExistenceErrors at Cognito's default, LEGACY, so Cognito says so)
      expect(endpoints).not.toHaveProperty('demoUser');
      const attempt = signIn(endpoints, DEFAULT_DEMO_USER.username, 'Any-passw0rd!');
      await expect(attempt).rejects.toBeInstanceOf(UserNotFoundException);
      await expect(attempt).rejects.toThrow('User does not exist.');
      running.child.kill('SIGINT');
      expect(await exitWithin(running, 'the bin after Ctrl-C')).toBe(0);
    } finally {
      await ensureStopped(running);
    }
  });

  test('the JSON line holds the local DynamoDB and the tables, and with them a process on this machine reaches a user', async () => {
    // GIVEN the bin started on a synthesized app, and the demo user connected
    const running = startOnAssembly();
    try {
      const endpoints = JSON.parse(await running.firstLine);
      expect(endpoints.dynamoDbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The table's logical id, as in the template, maps to its local name
      expect(Object.keys(endpoints.tables)).toEqual([expect.stringMatching(/^Connections[0-9A-F]{8}$/)]);
      const [tableName] = Object.values<string>(endpoints.tables);
      const idToken = await signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password);
      const socket = await open(`${endpoints.websocketUrl}?idToken=${idToken}`);
      const received = nextMessage(socket);
      // WHEN a Node.js process of its own, given only environment variables, sends to the user with the runtime API
      const sub = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()).sub;
      const sender = await runNode(`require(${JSON.stringify(path.join(__dirname, '..', '..', 'runtime', 'index.ts'))}).WebSocketConnections` +
        `.fromEnvironment().sendToUser(${JSON.stringify(sub)}, 'from a process').then((result) => console.log(JSON.stringify(result)))`, {
        WEBSOCKET_CONNECTIONS_TABLE: tableName,
        WEBSOCKET_CALLBACK_URL: endpoints.callbackUrl,
        AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDbEndpoint,
        AWS_REGION: endpoints.region,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      });
      // THEN it found the user's connection in the local table and delivered through the local @connections API
      expect(JSON.parse(sender)).toMatchObject({ delivered: [expect.any(String)], gone: [], failed: [] });
      expect(await received).toBe('from a process');
      socket.close();
      running.child.kill('SIGINT');
      expect(await exitWithin(running, 'the bin after Ctrl-C')).toBe(0);
    } finally {
      await ensureStopped(running);
    }
  });
  test('draws the demo user\'s password at random at each start, meeting the pool\'s policy, and prints it', async () => {
    // GIVEN two starts of the bin on the same app, with no --demo-password
    const passwords: string[] = [];
    for (let start = 0; start < 2; start++) {
      const running = startOnAssembly();
      try {
        const endpoints = JSON.parse(await running.firstLine);
        // THEN each prints a password the demo user signs in with
        await expect(signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password)).resolves.toMatch(/^eyJ/);
        passwords.push(endpoints.demoUser.password);
      } finally {
        await ensureStopped(running);
      }
    }
    // AND no page can know it in advance: it differs at each start and is long
    expect(passwords[0]).not.toBe(passwords[1]);
    expect(passwords[0].length).toBeGreaterThanOrEqual(24);
  }, TWO_STARTS_MS);

  test('refuses a --demo-password that breaks the pool\'s password policy, and an --allow-origin that is not an origin', async () => {
    for (const [option, value, message] of [
      ['--demo-password', 'short', 'demo password: Password not long enough'],
      ['--allow-origin', 'https://app.example.com/path', '--allow-origin: allowed origin "https://app.example.com/path" is not an origin'],
    ]) {
      const running = startOnAssembly(option, value);
      try {
        expect(await exitWithin(running, `the bin with ${option} ${value}`, 60_000)).toBe(1);
        expect(running.stderr.join('\n')).toContain(message);
      } finally {
        await ensureStopped(running);
      }
    }
  }, TWO_STARTS_MS);

  test('synthesizes the app of cdk.json in the current directory, as the CDK CLI would, and serves it', async () => {
    // GIVEN a directory whose cdk.json names the app command
    const appDir = mkdtempSync(path.join(tmpdir(), 'local-cli-app-'));
    const fixture = path.join(__dirname, 'fixtures', 'websocket-test-app.ts');
    const quoted = (file: string) => `'${file}'`;
    const appCommand = `"${process.execPath}" -e "require(${quoted(require.resolve('ts-node'))}).register({ transpileOnly: true, project: ${quoted(path.join(__dirname, '..', 'tsconfig.json'))} }); ` +
      `require(${quoted(fixture)}).synthesizeWebSocketTestApp(process.env.CDK_OUTDIR)"`;
    writeFileSync(path.join(appDir, 'cdk.json'), JSON.stringify({ app: appCommand }));
    // WHEN the bin starts there with no --app
    const running = startCli(process.execPath, [cli, 'local', '--port', '0', '--json'], { cwd: appDir });
    try {
      // THEN it wrote the cloud assembly to ./cdk.out and serves the app's API
      const firstLine = await running.firstLine;
      expect(existsSync(path.join(appDir, 'cdk.out', 'manifest.json'))).toBe(true);
      expect(JSON.parse(firstLine).websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/prod$/);
      running.child.kill('SIGINT');
      expect(await exitWithin(running, 'the bin after Ctrl-C')).toBe(0);
    } finally {
      await ensureStopped(running);
      rmSync(appDir, { recursive: true, force: true });
    }
  });

  test('explains what is missing when there is no app', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'local-cli-empty-'));
    const running = startCli(process.execPath, [cli, 'local'], { cwd: empty });
    try {
      expect(await exitWithin(running, 'the bin with no app')).toBe(1);
      expect(running.stderr.join('\n')).toContain('no CDK app here');
    } finally {
      await ensureStopped(running);
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
