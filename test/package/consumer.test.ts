/**
 * What a user does: install the packed library beside aws-cdk-lib and constructs in a fresh app, write
 * `new CognitoAuthorizedWebSocketApi(stack, 'Ws')`, synthesize. The synth must need no esbuild, no Docker
 * and no network: the handlers were bundled when the library was built.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { HandlerAssets } from '../../src/wire-contract';
import { ensureStopped, exitWithin, startCli } from '../local/cli-process';
import { signUpAndSignIn } from '../local/cognito-test-user';
import { nextMessage, open } from '../local/websocket-test-client';

const repoRoot = path.join(__dirname, '..', '..');
// Every handler the construct bundles (the sweeper too: `closeExpiredConnections` is on by default).
const HANDLERS: string[] = Object.values(HandlerAssets);

/** Loaded with --require into the app's process: any attempt to open a socket or resolve a name fails loudly. */
const NETWORK_BLOCKER = `
const refuse = (what) => () => { throw new Error('network access during synth: ' + what); };
const net = require('net');
const tls = require('tls');
const dns = require('dns');
net.connect = net.createConnection = refuse('net.connect');
net.Socket.prototype.connect = refuse('net.Socket.connect');
tls.connect = refuse('tls.connect');
dns.lookup = refuse('dns.lookup');
dns.promises.lookup = refuse('dns.promises.lookup');
`;

const CONSUMER_APP = `
const { App, Stack } = require('aws-cdk-lib');
const { CognitoAuthorizedWebSocketApi } = require('cdk-cognito-websocket-api');

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'ConsumerStack');
new CognitoAuthorizedWebSocketApi(stack, 'Ws');
app.synth();
`;

/** What a backend imports the runtime API with, in each module system; each prints what it found. */
const RUNTIME_REQUIRE = `
const runtime = require('cdk-cognito-websocket-api/runtime');
const cdkLoaded = Object.keys(require.cache).some((file) => file.includes('aws-cdk-lib'));
console.log(JSON.stringify({ exports: Object.keys(runtime).sort(), cdkLoaded }));
`;
const RUNTIME_IMPORT = `
import * as runtime from 'cdk-cognito-websocket-api/runtime';
import { WebSocketConnections, callerIdentity } from 'cdk-cognito-websocket-api/runtime';
const resolved = import.meta.resolve('cdk-cognito-websocket-api/runtime').replace(/^.*node_modules\\/cdk-cognito-websocket-api\\//, '');
console.log(JSON.stringify({ exports: Object.keys(runtime).sort(), named: [typeof WebSocketConnections, typeof callerIdentity], resolved }));
`;
/** A backend of the consumer's sending to a user through the local runtime, with what the bin's JSON line gives. */
const RUNTIME_SEND = `
import { WebSocketConnections } from 'cdk-cognito-websocket-api/runtime';
const result = await WebSocketConnections.fromEnvironment().sendToUser(process.argv[2], 'from the installed runtime API');
console.log(JSON.stringify(result));
`;
/** The same code type-checked as a user's TypeScript: ES module, CommonJS, and a cdk-init app's `moduleResolution: node`. */
const RUNTIME_TYPES = `
import { callerIdentity, SendResult, WebSocketConnections } from 'cdk-cognito-websocket-api/runtime';
export async function notify(userId: string): Promise<number> {
  const result: SendResult = await WebSocketConnections.fromEnvironment().sendToUser(userId, { text: 'hi' });
  return result.delivered.length + callerIdentity({ requestContext: { authorizer: { userId } } }).groups.length;
}
`;
const RUNTIME_SDK_CLIENTS = ['@aws-sdk/client-dynamodb', '@aws-sdk/client-apigatewaymanagementapi'];
const RUNTIME_EXPORTS = [
  'BroadcastIncompleteError', 'DEFAULT_CONCURRENCY', 'DEFAULT_RETRY_POLICY', 'DEFAULT_SCAN_SEGMENTS', 'MAX_MESSAGE_BYTES', 'MessageTooLargeError',
  'REFUSED_ROUTE_RESPONSE', 'WebSocketConnections', 'authorizedRoute', 'callerIdentity', 'hasExpired',
];

/**
 * The version of `name` this test runs on: the floor, or the newest in the jest project "newest" (whose module
 * mapper resolves the names to newest-cdk/), so the fresh app installs what the tests are run on.
 */
function versionOf(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`${name}/package.json`).version;
}

/** The newest Node.js runtime the installed aws-cdk-lib lists: the construct's default. */
function newestNodeRuntime(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Runtime } = require('aws-cdk-lib/aws-lambda');
  return (Runtime.ALL as Array<{ name: string }>).map((runtime) => runtime.name)
    .filter((name) => /^nodejs\d+\.x$/.test(name))
    .sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10))
    .pop()!;
}

describe('a consumer app synthesizes the packed library offline, without esbuild or Docker', () => {
  let workDir: string;
  let appDir: string;
  let restrictedEnv: NodeJS.ProcessEnv;
  let synth: SpawnSyncReturns<string>;
  let template: any;

  beforeAll(() => {
    for (const built of ['lib/index.js', 'lib/runtime/index.js', 'lib/runtime/index.mjs', ...HANDLERS.map((name) => `assets/${name}/index.js`)]) {
      if (!existsSync(path.join(repoRoot, built))) {
        throw new Error(`${built} is missing: build the library first (npx projen compile runs the bundle task and jsii)`);
      }
    }
    workDir = mkdtempSync(path.join(tmpdir(), 'consumer-'));
    appDir = path.join(workDir, 'app');
    mkdirSync(appDir);

    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir], { cwd: repoRoot, encoding: 'utf8' })
      .trim().split('\n').pop()!;
    writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true }));
    // The two AWS SDK clients the runtime API uses, as a backend outside Lambda installs them (Lambda provides them).
    execFileSync('npm', [
      'install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error',
      `aws-cdk-lib@${versionOf('aws-cdk-lib')}`, `constructs@${versionOf('constructs')}`, path.join(workDir, packed),
      ...RUNTIME_SDK_CLIENTS.map((name) => `${name}@${versionOf(name)}`),
    ], { cwd: appDir, stdio: 'pipe' });
    writeFileSync(path.join(appDir, 'app.js'), CONSUMER_APP);
    writeFileSync(path.join(workDir, 'block-network.js'), NETWORK_BLOCKER);

    // PATH holds node alone: no docker, no esbuild, no npx.
    const binDir = path.join(workDir, 'bin');
    mkdirSync(binDir);
    symlinkSync(process.execPath, path.join(binDir, 'node'));
    restrictedEnv = {
      PATH: binDir,
      HOME: workDir,
      NODE_OPTIONS: `--require ${path.join(workDir, 'block-network.js')}`,
    };

    // What a user runs: `node app.js`, with that PATH and the network blocked. The tests below read its cdk.out.
    synth = spawnSync('node', ['app.js'], { cwd: appDir, env: restrictedEnv, encoding: 'utf8' });
    if (synth.status === 0) {
      template = JSON.parse(readFileSync(path.join(appDir, 'cdk.out', 'ConsumerStack.template.json'), 'utf8'));
    }
  }, 300_000);

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('the app has no esbuild to reach, no docker on PATH, and its network is blocked', () => {
    const resolveEsbuild = spawnSync('node', ['-e', 'require.resolve("esbuild")'], { cwd: appDir, env: restrictedEnv, encoding: 'utf8' });
    expect(resolveEsbuild.status).not.toBe(0);
    expect(resolveEsbuild.stderr).toContain('Cannot find module \'esbuild\'');
    expect(spawnSync('docker', ['--version'], { env: restrictedEnv }).error).toMatchObject({ code: 'ENOENT' });
    const probe = spawnSync('node', ['-e', 'require("net").connect(443, "127.0.0.1")'], { cwd: appDir, env: restrictedEnv, encoding: 'utf8' });
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain('network access during synth: net.connect');
  });

  test('`node app.js` synthesizes the stack, silently', () => {
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(template.Resources).toBeDefined();
  });

  const resourcesOf = (type: string) => Object.values<any>(template.Resources).filter((resource) => resource.Type === type);

  test('the template has every behaviour of the AWS sample', () => {
    expect(resourcesOf('AWS::ApiGatewayV2::Api')).toEqual([
      expect.objectContaining({ Properties: expect.objectContaining({ ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }) }),
    ]);
    expect(resourcesOf('AWS::ApiGatewayV2::Route').map((route) => [route.Properties.RouteKey, route.Properties.AuthorizationType]).sort())
      .toEqual([['$connect', 'CUSTOM'], ['$default', 'NONE'], ['$disconnect', 'NONE']]);
    expect(resourcesOf('AWS::ApiGatewayV2::Integration').map((integration) => integration.Properties.IntegrationType))
      .toEqual(['AWS_PROXY', 'AWS_PROXY', 'AWS_PROXY']);
    expect(resourcesOf('AWS::ApiGatewayV2::Authorizer')).toEqual([expect.objectContaining({
      Properties: expect.objectContaining({ AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.idToken'] }),
    })]);
    expect(resourcesOf('AWS::ApiGatewayV2::Stage')).toEqual([expect.objectContaining({
      Properties: expect.objectContaining({ StageName: 'prod', AutoDeploy: true }),
    })]);
    expect(resourcesOf('AWS::DynamoDB::Table')).toEqual([expect.objectContaining({
      Properties: expect.objectContaining({
        KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
        // (beside it, expiryIndex: the sweeper's, which the AWS sample has not)
        GlobalSecondaryIndexes: expect.arrayContaining([
          expect.objectContaining({ IndexName: 'userIdIndex', KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }] }),
        ]),
        TimeToLiveSpecification: { AttributeName: 'removedAt', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      }),
      DeletionPolicy: 'Delete',
    })]);
    expect(resourcesOf('AWS::Cognito::UserPool')).toEqual([expect.objectContaining({
      Properties: expect.objectContaining({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: false }, AutoVerifiedAttributes: ['email'] }),
      DeletionPolicy: 'Delete',
    })]);
    expect(resourcesOf('AWS::Cognito::UserPoolClient')).toEqual([expect.objectContaining({
      Properties: expect.objectContaining({
        GenerateSecret: false,
        ExplicitAuthFlows: expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      }),
    })]);
  });

  test('the runtime API loads with require(), without aws-cdk-lib', () => {
    writeFileSync(path.join(appDir, 'runtime-require.cjs'), RUNTIME_REQUIRE);
    const run = spawnSync('node', ['runtime-require.cjs'], { cwd: appDir, env: restrictedEnv, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ exports: RUNTIME_EXPORTS, cdkLoaded: false });
  });

  test('the runtime API loads with import, as an ES module with named exports', () => {
    writeFileSync(path.join(appDir, 'runtime-import.mjs'), RUNTIME_IMPORT);
    const run = spawnSync('node', ['runtime-import.mjs'], { cwd: appDir, env: restrictedEnv, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    // The ES module build, not the CommonJS one through Node's interop: a bundler tree-shakes it
    expect(JSON.parse(run.stdout)).toEqual({ exports: RUNTIME_EXPORTS, named: ['function', 'function'], resolved: 'lib/runtime/index.mjs' });
  });

  test.each([
    ['an ES module (node16)', 'notify.mts', { module: 'node16', moduleResolution: 'node16' }],
    ['CommonJS (node16)', 'notify.cts', { module: 'node16', moduleResolution: 'node16' }],
    // TypeScript 6 deprecates `node` (node10) resolution; the TypeScript of a cdk init app still uses it.
    ['a cdk init app (moduleResolution node)', 'notify.ts', { module: 'commonjs', moduleResolution: 'node', ignoreDeprecations: '6.0' }],
  ])('its types resolve for TypeScript in %s', (_, file, options) => {
    const dir = mkdtempSync(path.join(appDir, 'types-'));
    writeFileSync(path.join(dir, file), RUNTIME_TYPES);
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { ...options, target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(repoRoot, 'node_modules', '@types')] },
      files: [file],
    }));
    const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: appDir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  test('each handler\'s asset in cdk.out is its bundled index.js', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions).toHaveLength(HANDLERS.length);
    const bundles = HANDLERS.map((name) => readFileSync(path.join(repoRoot, 'assets', name, 'index.js'), 'utf8'));
    // What `cdk deploy` uploads: the asset manifest maps each function's S3 key to a directory of cdk.out.
    const assetManifest = JSON.parse(readFileSync(path.join(appDir, 'cdk.out', 'ConsumerStack.assets.json'), 'utf8'));
    const shipped = functions.map((fn) => {
      expect(fn.Properties).toMatchObject({ Handler: 'index.handler', Runtime: newestNodeRuntime() });
      const asset = Object.values<any>(assetManifest.files)
        .find((file) => Object.values<any>(file.destinations).some((destination) => destination.objectKey === fn.Properties.Code.S3Key));
      expect(asset.source.packaging).toBe('zip');
      const assetDir = path.join(appDir, 'cdk.out', asset.source.path);
      expect(readdirSync(assetDir)).toEqual(['index.js']);
      expect(statSync(path.join(assetDir, 'index.js')).size).toBeGreaterThan(0);
      return readFileSync(path.join(assetDir, 'index.js'), 'utf8');
    });
    expect(shipped.sort()).toEqual(bundles.sort());
  });

  test('the installed bin serves the synthesized app locally: sign in, connect, echo, Ctrl-C', async () => {
    // GIVEN the app's cloud assembly (synthesized in beforeAll) and the bin npm installed with the package
    const bin = path.join(appDir, 'node_modules', '.bin', 'cdk-cognito-websocket-api');
    expect(existsSync(bin)).toBe(true);
    // WHEN a user runs `npx cdk-cognito-websocket-api local` on it
    const cli = startCli(bin, ['local', '--app', 'cdk.out', '--port', '0', '--json'], { cwd: appDir });
    try {
      const endpoints = JSON.parse(await cli.firstLine);
      // THEN a user signed in through its Cognito endpoint connects and gets the echo
      const idToken = await signUpAndSignIn(endpoints, 'consumer');
      const socket = await open(`${endpoints.websocketUrl}?idToken=${idToken}`);
      const reply = nextMessage(socket);
      socket.send('hello from a consumer app');
      expect(JSON.parse(await reply)).toEqual({ message: 'hello from a consumer app' });
      // AND a backend of the consumer's reaches the user with the installed runtime API and the JSON line's DynamoDB
      const sent = nextMessage(socket);
      writeFileSync(path.join(appDir, 'runtime-send.mjs'), RUNTIME_SEND);
      const sub = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()).sub;
      const sender = spawnSync('node', ['runtime-send.mjs', sub], {
        cwd: appDir,
        encoding: 'utf8',
        env: {
          PATH: restrictedEnv.PATH,
          WEBSOCKET_CONNECTIONS_TABLE: Object.values<string>(endpoints.tables)[0],
          WEBSOCKET_CALLBACK_URL: endpoints.callbackUrl,
          AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDbEndpoint,
          AWS_REGION: endpoints.region,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
        },
      });
      expect(JSON.parse(sender.stdout)).toMatchObject({ delivered: [expect.any(String)], gone: [], failed: [] });
      expect(await sent).toBe('from the installed runtime API');
      socket.close();
      // AND Ctrl-C stops it cleanly
      cli.child.kill('SIGINT');
      expect(await exitWithin(cli, 'the bin after Ctrl-C')).toBe(0);
    } finally {
      await ensureStopped(cli);
    }
  });
});
