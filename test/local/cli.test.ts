import { execFileSync, spawn } from 'child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { signIn } from './cognito-test-user';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { isAlive } from './process-liveness';
import { closed, open } from './websocket-test-client';

// The shipped bin (built by the bundle task), run from a copy outside the repository, as `npx
// cdk-cognito-websocket-api` runs it from a consumer's node_modules: no dependency of this repository is reachable.
const builtRuntime = path.join(__dirname, '..', '..', 'assets', 'local');
const shipped = mkdtempSync(path.join(tmpdir(), 'local-cli-shipped-'));
const cli = path.join(shipped, 'assets', 'local', 'cli.js');

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map(Number).filter(Boolean);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

describe('cdk-cognito-websocket-api local', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-cli-test-'));
  beforeAll(() => {
    cpSync(builtRuntime, path.dirname(cli), { recursive: true });
    synthesizeWebSocketTestApp(assembly);
  });
  afterAll(() => {
    rmSync(assembly, { recursive: true, force: true });
    rmSync(shipped, { recursive: true, force: true });
  });

  test('prints the endpoints as one JSON line, serves them, and on Ctrl-C stops with no process or port left', async () => {
    // GIVEN the bin started on a synthesized app
    const child = spawn(process.execPath, [cli, 'local', '--app', assembly, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const firstLine = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr.join('\n')}`)));
    });
    const endpoints = JSON.parse(firstLine);
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
    const workers = childPids(child.pid!);
    expect(workers.length).toBeGreaterThan(0);

    // AND the user presses Ctrl-C
    child.kill('SIGINT');

    // THEN the open connection is closed as "going away", the process exits 0, and its workers and ports are gone
    expect(await clientClosed).toBe(1001);
    expect(await exited).toBe(0);
    expect(workers.filter(isAlive)).toEqual([]);
    for (const url of [endpoints.webUrl, endpoints.callbackUrl]) {
      await expect(fetch(url)).rejects.toThrow();
    }
  });

  test('synthesizes the app of cdk.json in the current directory, as the CDK CLI would, and serves it', async () => {
    // GIVEN a directory whose cdk.json names the app command
    const appDir = mkdtempSync(path.join(tmpdir(), 'local-cli-app-'));
    const fixture = path.join(__dirname, 'fixtures', 'websocket-test-app.ts');
    const quoted = (file: string) => `'${file}'`;
    const appCommand = `"${process.execPath}" -e "require(${quoted(require.resolve('ts-node'))}).register({ transpileOnly: true, project: ${quoted(path.join(__dirname, '..', 'tsconfig.json'))} }); ` +
      `require(${quoted(fixture)}).synthesizeWebSocketTestApp(process.env.CDK_OUTDIR)"`;
    writeFileSync(path.join(appDir, 'cdk.json'), JSON.stringify({ app: appCommand }));
    try {
      // WHEN the bin starts there with no --app
      const child = spawn(process.execPath, [cli, 'local', '--port', '0', '--json'], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const firstLine = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once('line', resolve);
        void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      // THEN it wrote the cloud assembly to ./cdk.out and serves the app's API
      expect(existsSync(path.join(appDir, 'cdk.out', 'manifest.json'))).toBe(true);
      expect(JSON.parse(firstLine).websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/prod$/);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      rmSync(appDir, { recursive: true, force: true });
    }
  });

  test('explains what is missing when there is no app', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'local-cli-empty-'));
    try {
      const child = spawn(process.execPath, [cli, 'local'], { cwd: empty, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain('no CDK app here');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
