/**
 * What a user does: install the packed library beside aws-cdk-lib and constructs in a fresh app, write
 * `new CognitoAuthorizedWebSocketApi(stack, 'Ws')`, synthesize. The synth must need no esbuild, no Docker
 * and no network: the handlers were bundled when the library was built.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ensureStopped, exitWithin, startCli } from '../local/cli-process';
import { signUpAndSignIn } from '../local/cognito-test-user';
import { nextMessage, open } from '../local/websocket-test-client';

const repoRoot = path.join(__dirname, '..', '..');
const HANDLERS = ['authorizer', 'connect', 'disconnect', 'echo'];

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
    for (const built of ['lib/index.js', ...HANDLERS.map((name) => `assets/${name}/index.js`)]) {
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
    execFileSync('npm', [
      'install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error',
      `aws-cdk-lib@${versionOf('aws-cdk-lib')}`, `constructs@${versionOf('constructs')}`, path.join(workDir, packed),
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
        GlobalSecondaryIndexes: [expect.objectContaining({ IndexName: 'userIdIndex', KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }] })],
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
      socket.close();
      // AND Ctrl-C stops it cleanly
      cli.child.kill('SIGINT');
      expect(await exitWithin(cli, 'the bin after Ctrl-C')).toBe(0);
    } finally {
      await ensureStopped(cli);
    }
  });
});
