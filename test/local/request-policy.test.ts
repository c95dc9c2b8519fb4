import { mkdtempSync, rmSync } from 'fs';
import { IncomingHttpHeaders, request } from 'http';
import { tmpdir } from 'os';
import * as path from 'path';
import { CliEndpointsLine, CliProcess, ensureStopped, startCli } from './cli-process';
import { signIn } from './cognito-test-user';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { firstResponseLine, upgradeRequest } from './raw-socket-client';

// A web page the developer visits can reach 127.0.0.1 from the developer's browser: by calling it from its own
// origin (Origin: its own), or through a name of its own pointed at 127.0.0.1 (DNS rebinding: Host: its own). Each
// listener of the shipped bin is sent real requests carrying each, and must refuse them before any handler runs,
// while serving loopback pages, the origin given with --allow-origin, and programs that send no Origin at all.
const cli = path.join(__dirname, '..', '..', 'assets', 'local', 'cli.js');
const ALLOWED = 'https://app.example.com';
const EVIL = 'http://evil.example';
const DEMO_PASSWORD = 'Given-passw0rd!';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
}

/** One request to a listener, with extra headers (`Origin`, a replaced `Host`); its status and headers. */
type Probe = (headers: Record<string, string>) => Promise<Answer>;

function httpProbe(url: string, method: string, pathname: string, baseHeaders: Record<string, string> = {}, body = ''): Probe {
  const { port } = new URL(url);
  return (headers) => new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path: pathname, headers: { ...baseHeaders, ...headers } }, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode!, headers: response.headers }));
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** A WebSocket upgrade over a raw socket: only the status line matters (101 or a refusal). */
function upgradeProbe(url: string): Probe {
  const port = Number(new URL(url).port);
  return async (headers) => {
    const { Host: host, ...others } = headers;
    let raw = upgradeRequest(url, Object.entries(others).map(([name, value]) => `${name}: ${value}`));
    if (host) raw = raw.replace(/^Host: .*$/m, `Host: ${host}`);
    const line = await firstResponseLine(port, raw);
    return { status: Number(line.split(' ')[1]), headers: {} };
  };
}

describe('the local runtime serves browsers only from loopback and allowed origins, and only under a loopback Host', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-request-policy-'));
  let running: CliProcess;
  let endpoints: CliEndpointsLine;
  const probes: Record<string, { probe: Probe; served: number }> = {};

  beforeAll(async () => {
    synthesizeWebSocketTestApp(assembly);
    running = startCli(process.execPath, [cli, 'local', '--app', assembly, '--port', '0', '--json',
      '--allow-origin', ALLOWED, '--demo-password', DEMO_PASSWORD]);
    endpoints = JSON.parse(await running.firstLine);
    const idToken = await signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password);
    const stage = new URL(endpoints.callbackUrl).pathname;
    const dynamoDbHeaders = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      'authorization': 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20260101T000000Z',
    };
    Object.assign(probes, {
      'web server': { probe: httpProbe(endpoints.webUrl, 'GET', '/config.json'), served: 200 },
      'identity endpoint': { probe: httpProbe(endpoints.cognitoEndpoint, 'GET', `/${endpoints.userPoolId}/.well-known/jwks.json`), served: 200 },
      'DynamoDB': { probe: httpProbe(endpoints.dynamoDbEndpoint, 'POST', '/', dynamoDbHeaders, '{}'), served: 200 },
      '@connections API': { probe: httpProbe(endpoints.callbackUrl, 'GET', `${stage}/@connections/nobody`), served: 410 },
      'WebSocket upgrade': { probe: upgradeProbe(`${endpoints.websocketUrl}?idToken=${idToken}`), served: 101 },
    });
  });
  afterAll(async () => {
    if (running) await ensureStopped(running);
    rmSync(assembly, { recursive: true, force: true });
  });

  const listeners = ['web server', 'identity endpoint', 'DynamoDB', '@connections API', 'WebSocket upgrade'];

  test.each(listeners)('the %s refuses a request from another origin, and one whose Host is not a loopback name', async (listener) => {
    const { probe } = probes[listener];
    // GIVEN a request as a page of another site sends it, WHEN it reaches the listener, THEN it is refused
    expect((await probe({ Origin: EVIL })).status).toBe(403);
    expect((await probe({ Origin: 'null' })).status).toBe(403);
    // AND a request whose Host names another site (a page that rebound its name to 127.0.0.1) is refused too
    expect((await probe({ Host: 'evil.example' })).status).toBe(403);
    expect((await probe({ Host: 'evil.example', Origin: 'http://evil.example' })).status).toBe(403);
    expect((await probe({ Host: 'localhost.evil.example:3000' })).status).toBe(403);
  });

  test.each(listeners)('the %s serves loopback pages, the allowed origin and programs that send no Origin', async (listener) => {
    const { probe, served } = probes[listener];
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000', ALLOWED]) {
      expect({ origin, status: (await probe({ Origin: origin })).status }).toEqual({ origin, status: served });
    }
    expect((await probe({})).status).toBe(served);
    for (const host of ['localhost:1234', 'LOCALHOST', '[::1]:80', '127.0.0.1']) {
      expect({ host, status: (await probe({ Host: host })).status }).toEqual({ host, status: served });
    }
  });

  test('CORS answers name the allowed origin and vary with it, never *', async () => {
    for (const listener of ['web server', 'identity endpoint']) {
      // WHEN an allowed page reads the listener, THEN the answer names that page's origin and varies with Origin
      const allowed = await probes[listener].probe({ Origin: ALLOWED });
      expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(allowed.headers.vary).toMatch(/\bOrigin\b/);
      // AND a request without Origin gets no CORS header at all
      expect((await probes[listener].probe({})).headers['access-control-allow-origin']).toBeUndefined();
    }
    // AND the browser's preflight before a Cognito call from an allowed page is answered for that page only
    const preflight = httpProbe(endpoints.cognitoEndpoint, 'OPTIONS', '/', {
      'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target',
    });
    const answer = await preflight({ Origin: 'http://localhost:5173' });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect((await preflight({ Origin: EVIL })).status).toBe(403);
  });

  test('--demo-password sets the demo user\'s password, printed in the JSON line', async () => {
    expect(endpoints.demoUser.password).toBe(DEMO_PASSWORD);
    await expect(signIn(endpoints, endpoints.demoUser.username, DEMO_PASSWORD)).resolves.toMatch(/^eyJ/);
  });
});
