import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectEvent as authorizerEvent } from './authorizer-test-kit';
import { cognitoClaims, createSigningKey, JWKS_URI, jwksOf, rs256Header, signJwt } from './cognito-test-tokens';
import { ConnectionsTable, startConnectionsTable, TEST_CREDENTIALS, TEST_REGION } from './dynalite-connections-table';
import { LocalManagementApi } from './local-management-api';

/**
 * Runs the shipped bundles, assets/<name>/index.js, as Lambda would: copied away from this
 * repository (so nothing can come from node_modules), loaded by a fresh Node process with only
 * the environment the construct sets, invoked several times per process (warm reuse).
 */

const execFileAsync = promisify(execFile);
const REPO = join(__dirname, '..', '..');
const HANDLERS = ['authorizer', 'connect', 'disconnect', 'echo'];

/** Invokes the handler once per event, in order, in one process; prints one RESULT line per event. */
const RUNNER = `
const { handler } = require(process.argv[1]);
(async () => {
  for (const event of JSON.parse(process.argv[2])) {
    const started = performance.now();
    const result = await handler(event);
    process.stdout.write('RESULT ' + JSON.stringify({ result, elapsedMs: performance.now() - started }) + '\\n');
  }
})();
`;

/**
 * Stands in for the network path to Cognito, as the local runtime's preload does: the one JWKS
 * request goes to a local server instead; aws-jwt-verify's real https fetcher and timeouts run as in AWS.
 */
const JWKS_REDIRECT_PRELOAD = `
const https = require('https');
const http = require('http');
const original = https.request;
https.request = function (uri, options, callback) {
  if (String(uri) === process.env.TEST_JWKS_URI) {
    return http.request(process.env.TEST_JWKS_REDIRECT_URL, { method: 'GET' }, callback);
  }
  return original.apply(this, arguments);
};
`;

let workDir: string;

beforeAll(() => {
  // assets/ is up to date: jest's globalSetup (test/build-bundles.ts) built it before any test file ran.
  workDir = mkdtempSync(join(tmpdir(), 'bundled-handlers-'));
  for (const name of HANDLERS) {
    mkdirSync(join(workDir, name));
    copyFileSync(join(REPO, 'assets', name, 'index.js'), join(workDir, name, 'index.js'));
  }
  writeFileSync(join(workDir, 'jwks-redirect.js'), JWKS_REDIRECT_PRELOAD);
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Invocation {
  results: Array<{ result: any; elapsedMs: number }>;
  logLines: string[];
}

async function invokeBundle(name: string, env: Record<string, string>, events: unknown[], preload = false): Promise<Invocation> {
  const args = [...(preload ? ['-r', join(workDir, 'jwks-redirect.js')] : []), '-e', RUNNER, join(workDir, name, 'index.js'), JSON.stringify(events)];
  const { stdout } = await execFileAsync(process.execPath, args, {
    cwd: workDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_NO_WARNINGS: '1',
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      ...env,
    },
    timeout: 30_000,
  });
  const lines = stdout.split('\n').filter((line) => line !== '');
  return {
    results: lines.filter((line) => line.startsWith('RESULT ')).map((line) => JSON.parse(line.slice('RESULT '.length))),
    logLines: lines.filter((line) => !line.startsWith('RESULT ')),
  };
}

function expectCleanLogs(logLines: string[]) {
  for (const line of logLines) {
    expect(() => JSON.parse(line)).not.toThrow();
    expect(line).not.toContain('eyJ');
  }
}

describe('authorizer bundle', () => {
  const poolKey = createSigningKey('pool-key');
  const otherKey = { ...createSigningKey('other'), kid: 'pool-key' };
  const claims = cognitoClaims();
  const valid = signJwt(rs256Header(poolKey), claims, poolKey);
  const forged = signJwt(rs256Header(otherKey), claims, otherKey);

  let jwksServer: Server;
  let jwksRequests = 0;
  let hangingRequestsLeft = 0;
  const env = () => ({
    USER_POOL_ID: 'eu-west-1_TestPool1',
    CLIENT_IDS: 'client0000000000000000000a',
    TOKEN_USE: 'id',
    TOKEN_SOURCE_KIND: 'querystring',
    TOKEN_SOURCE_NAME: 'idToken',
    REQUIRED_GROUPS: '',
    TEST_JWKS_URI: JWKS_URI,
    TEST_JWKS_REDIRECT_URL: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`,
  });

  beforeAll(async () => {
    jwksServer = createServer((_req, res) => {
      jwksRequests++;
      if (hangingRequestsLeft > 0) {
        hangingRequestsLeft--;
        return; // a JWKS endpoint that accepts the connection and never answers
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwksOf(poolKey)));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    jwksServer.closeAllConnections();
    await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  });
  beforeEach(() => {
    jwksRequests = 0;
    hangingRequestsLeft = 0;
  });

  test('allows a valid token with the exact context, denies a forged one, downloading the JWKS once', async () => {
    const { results, logLines } = await invokeBundle('authorizer', env(), [
      authorizerEvent({ queryStringParameters: { idToken: valid } }),
      authorizerEvent({ queryStringParameters: { idToken: forged } }),
      authorizerEvent({ queryStringParameters: { idToken: valid } }),
    ], true);
    expect(results.map((r) => r.result.policyDocument.Statement[0].Effect)).toEqual(['Allow', 'Deny', 'Allow']);
    expect(results[0].result.context).toEqual({
      userId: claims.sub, username: 'alice', groups: 'readers,writers', tokenUse: 'id', exp: claims.exp,
    });
    expect(jwksRequests).toBe(1);
    expect(logLines.map((line) => JSON.parse(line).outcome)).toEqual(['allow', 'deny', 'allow']);
    expect(JSON.parse(logLines[1]).reason).toBe('signature-invalid');
    expectCleanLogs(logLines);
  });

  test('fails closed within the deadline when the JWKS endpoint hangs, and recovers on the next $connect', async () => {
    // aws-jwt-verify's fetcher makes one immediate retry: both the request and its retry hang
    hangingRequestsLeft = 2;
    const { results, logLines } = await invokeBundle('authorizer', env(), [
      authorizerEvent({ queryStringParameters: { idToken: valid } }),
      authorizerEvent({ queryStringParameters: { idToken: valid } }),
    ], true);
    expect(results.map((r) => r.result.policyDocument.Statement[0].Effect)).toEqual(['Deny', 'Allow']);
    expect(JSON.parse(logLines[0]).reason).toBe('jwks-unavailable');
    expect(results[0].elapsedMs).toBeLessThan(10_000);
    expect(jwksRequests).toBe(3);
    expectCleanLogs(logLines);
  });
});

describe('connect, disconnect and echo bundles', () => {
  let table: ConnectionsTable;
  let api: LocalManagementApi;
  const tableEnv = () => ({ TABLE_NAME: table.tableName, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint });
  const authorizer = { userId: 'user-1', username: 'alice', groups: '', tokenUse: 'id', exp: 2_000_000_000 };

  beforeAll(async () => {
    table = await startConnectionsTable();
    api = await LocalManagementApi.start('prod');
  });
  afterAll(async () => {
    await api.stop();
    await table.stop();
  });

  test('connect writes the row (TTL from CONNECTION_TTL_SECONDS) and echoes the subprotocol; disconnect deletes it', async () => {
    const before = Math.floor(Date.now() / 1000);
    const connected = await invokeBundle('connect', { ...tableEnv(), CONNECTION_TTL_SECONDS: '120', TOKEN_SOURCE_KIND: 'subprotocol' }, [{
      headers: { 'Sec-WebSocket-Protocol': 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln, chat.v1' },
      requestContext: { connectionId: 'Bundle-1=', routeKey: '$connect', authorizer },
    }]);
    const after = Math.ceil(Date.now() / 1000);
    expect(connected.results[0].result).toEqual({ statusCode: 200, body: '', headers: { 'Sec-WebSocket-Protocol': 'chat.v1' } });
    const row = await table.getRow('Bundle-1=');
    expect(row).toMatchObject({ connectionId: { S: 'Bundle-1=' }, userId: { S: 'user-1' } });
    const removedAt = Number((row!.removedAt as { N: string }).N);
    expect(removedAt).toBeGreaterThanOrEqual(before + 120);
    expect(removedAt).toBeLessThanOrEqual(after + 120);
    expectCleanLogs(connected.logLines);

    const disconnected = await invokeBundle('disconnect', tableEnv(), [
      { requestContext: { connectionId: 'Bundle-1=', routeKey: '$disconnect', authorizer } },
      { requestContext: { connectionId: 'Bundle-1=', routeKey: '$disconnect', authorizer } },
    ]);
    expect(disconnected.results.map((r) => r.result.statusCode)).toEqual([200, 200]);
    expect(await table.getRow('Bundle-1=')).toBeUndefined();
  });

  test('connect rides out DynamoDB throttling with the SDK\'s retries, and answers 500 when it persists', async () => {
    // A DynamoDB endpoint answering in DynamoDB's wire format: ThrottlingException a set number of times, then success
    let throttlesLeft = 0;
    const targets: string[] = [];
    const throttlingDynamoDb = createServer((req, res) => {
      req.resume().on('end', () => {
        targets.push(String(req.headers['x-amz-target']));
        if (throttlesLeft > 0) {
          throttlesLeft--;
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
            .end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => throttlingDynamoDb.listen(0, '127.0.0.1', resolve));
    const env = { TABLE_NAME: 'Connections', AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(throttlingDynamoDb.address() as AddressInfo).port}` };
    const event = { requestContext: { connectionId: 'Bundle-3=', routeKey: '$connect', authorizer } };
    try {
      throttlesLeft = 2;
      const recovered = await invokeBundle('connect', env, [event]);
      expect(recovered.results[0].result.statusCode).toBe(200);
      expect(targets).toEqual(Array(3).fill('DynamoDB_20120810.PutItem'));

      targets.length = 0;
      throttlesLeft = 100;
      const refused = await invokeBundle('connect', env, [event]);
      expect(refused.results[0].result.statusCode).toBe(500);
      expect(JSON.parse(refused.logLines[0])).toMatchObject({ outcome: 'error', reason: 'store-write-failed', errorName: 'ThrottlingException' });
      // retried, and bounded (DYNAMODB_MAX_ATTEMPTS); then the row the write may have left is deleted, best-effort
      const puts = targets.filter((target) => target === 'DynamoDB_20120810.PutItem');
      expect(puts.length).toBeGreaterThan(1);
      expect(puts.length).toBeLessThanOrEqual(5);
      expect(targets.slice(puts.length)).toEqual(Array(targets.length - puts.length).fill('DynamoDB_20120810.DeleteItem'));
      expect(targets.length - puts.length).toBeLessThanOrEqual(5);
    } finally {
      await new Promise<void>((resolve) => throttlingDynamoDb.close(() => resolve()));
    }
  });

  test('a handler bundle signs with the role credentials of its environment, even where a shared AWS profile is set', async () => {
    // GIVEN a DynamoDB endpoint that records how each request is signed, and a profile with other keys in AWS_PROFILE
    const signatures: Array<{ authorization: string; securityToken: string | undefined }> = [];
    const recordingDynamoDb = createServer((req, res) => {
      signatures.push({ authorization: String(req.headers.authorization), securityToken: req.headers['x-amz-security-token'] as string | undefined });
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'));
    });
    await new Promise<void>((resolve) => recordingDynamoDb.listen(0, '127.0.0.1', resolve));
    const profileDir = mkdtempSync(join(tmpdir(), 'bundled-handlers-profile-'));
    writeFileSync(join(profileDir, 'credentials'), '[other]\naws_access_key_id = AKIAPROFILEKEY000000\naws_secret_access_key = profile-secret\n');
    writeFileSync(join(profileDir, 'config'), '[profile other]\nregion = eu-west-1\n');
    const env = {
      TABLE_NAME: 'Connections',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(recordingDynamoDb.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'ASIAROLEKEY000000000',
      AWS_SECRET_ACCESS_KEY: 'role-secret',
      AWS_SESSION_TOKEN: 'role-session-token',
      AWS_PROFILE: 'other',
      AWS_SHARED_CREDENTIALS_FILE: join(profileDir, 'credentials'),
      AWS_CONFIG_FILE: join(profileDir, 'config'),
    };
    try {
      // WHEN disconnect deletes a row
      const disconnected = await invokeBundle('disconnect', env, [
        { requestContext: { connectionId: 'Bundle-4=', routeKey: '$disconnect', authorizer } },
      ]);
      // THEN it signed with the role's key and session token, as Lambda gives them, not with the profile's
      expect(disconnected.results[0].result.statusCode).toBe(200);
      expect(signatures).toHaveLength(1);
      expect(signatures[0].authorization).toContain('Credential=ASIAROLEKEY000000000/');
      expect(signatures[0].securityToken).toBe('role-session-token');

      // AND without credentials in its environment the request fails at once, named, with nothing else tried
      signatures.length = 0;
      const refused = await invokeBundle('disconnect', { ...env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }, [
        { requestContext: { connectionId: 'Bundle-4=', routeKey: '$disconnect', authorizer } },
      ]);
      expect(refused.results[0].result.statusCode).toBe(500);
      expect(JSON.parse(refused.logLines[0])).toMatchObject({ reason: 'store-delete-failed', errorName: 'CredentialsProviderError' });
      expect(signatures).toHaveLength(0);
    } finally {
      rmSync(profileDir, { recursive: true, force: true });
      await new Promise<void>((resolve) => recordingDynamoDb.close(() => resolve()));
    }
  });

  test('echo posts the message to WEBSOCKET_CALLBACK_URL and deletes the row of a gone connection', async () => {
    await invokeBundle('connect', { ...tableEnv() }, [
      { requestContext: { connectionId: 'Bundle-2=', routeKey: '$connect', authorizer } },
    ]);
    expect(await table.getRow('Bundle-2=')).toBeDefined();
    api.received.length = 0;
    api.answers = [200, 410];
    const echoed = await invokeBundle('echo', {
      WEBSOCKET_CONNECTIONS_TABLE: table.tableName, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint, WEBSOCKET_CALLBACK_URL: api.callbackUrl,
    }, [
      { body: 'hello', requestContext: { connectionId: 'Bundle-2=', routeKey: '$default', authorizer } },
      { body: 'again', requestContext: { connectionId: 'Bundle-2=', routeKey: '$default', authorizer } },
    ]);
    expect(echoed.results.map((r) => r.result.statusCode)).toEqual([200, 200]);
    expect(api.received.map((post) => [post.path, post.body.toString('utf8')])).toEqual([
      ['/prod/@connections/Bundle-2=', '{"message":"hello"}'],
      ['/prod/@connections/Bundle-2=', '{"message":"again"}'],
    ]);
    expect(echoed.logLines.map((line) => JSON.parse(line).outcome)).toEqual(['delivered', 'gone']);
    expect(await table.getRow('Bundle-2=')).toBeUndefined();
  });
});
