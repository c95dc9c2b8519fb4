import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { signIn } from './cognito-test-user';
import { DescribedApiApp, DescribedApiAppOptions, synthesizeDescribedApiApp } from './fixtures/described-api-app';
import { connect } from './websocket-test-client';
import { AuthorizerSettings, findAuthorizerSettings } from '../../local/authorizer-settings';
import { findWebSocketApis, readCloudAssembly } from '../../local/cloud-assembly';
import { LocalResourceNames } from '../../local/local-resource-names';
import { startLocalRuntime } from '../../local/local-runtime';
import { TemplateResolver } from '../../local/template-resolver';
import { CognitoAuthorizedWebSocketApi, TokenSource, TokenUse } from '../../src';
import { API_DESCRIPTION_METADATA_TYPE } from '../../src/wire-contract';

const REGION = 'eu-west-1';
const directories: string[] = [];

afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function synthesize(options: DescribedApiAppOptions = {}): { assembly: string; app: DescribedApiApp } {
  const assembly = mkdtempSync(path.join(tmpdir(), 'described-api-'));
  directories.push(assembly);
  return { assembly, app: synthesizeDescribedApiApp(assembly, options) };
}

/** What the runtime decides for the app in `assembly`, with its names, without starting anything. */
function settingsOf(assembly: string, log: (entry: Record<string, unknown>) => void = () => undefined) {
  const stacks = readCloudAssembly(assembly);
  const names = new LocalResourceNames(stacks, REGION);
  const stack = stacks[0];
  const name = (logicalId: string) => names.nameOf(stack, logicalId);
  const poolsOf = (app: DescribedApiApp) => [
    { userPoolId: name(app.otherPool), clientIds: [name(app.otherPoolClient)] },
    { userPoolId: name(app.userPool), clientIds: [name(app.firstClient), name(app.acceptedClient)] },
  ];
  const settings = (app: DescribedApiApp): AuthorizerSettings => findAuthorizerSettings({
    apis: findWebSocketApis(stacks),
    stacks,
    userPools: poolsOf(app),
    names,
    resolver: new TemplateResolver(stacks, { region: REGION, accountId: '000000000000', resources: names.values }),
    log,
  });
  return { stacks, stack, name, settings };
}

describe('the API description the construct writes for the local runtime', () => {
  test('is read from the stack\'s cloud assembly metadata, with the references CDK resolved to Refs', () => {
    // GIVEN an app whose construct node describes its API with node.addMetadata
    const { assembly, app } = synthesize();
    // WHEN the cloud assembly is read
    const [stack] = readCloudAssembly(assembly);
    // THEN the stack holds the entry, under the construct's path, as the construct wrote it
    expect(stack.metadataEntries).toEqual([{
      constructPath: app.constructPath,
      type: API_DESCRIPTION_METADATA_TYPE,
      data: {
        version: 1,
        webSocketApi: { Ref: app.api },
        authorizerFunction: { Ref: app.authorizerFunction },
        userPool: { Ref: app.userPool },
        userPoolClients: [{ Ref: app.acceptedClient }],
        tokenUse: 'id',
        tokenSource: { kind: 'querystring', name: 'idToken' },
        requiredGroups: [],
      },
    }]);
  });

  test('names the pool and the client the authorizer accepts, not the app\'s first ones', () => {
    const { assembly, app } = synthesize({ descriptionOverrides: { requiredGroups: ['chatters'], tokenUse: 'access' } });
    const { name, settings } = settingsOf(assembly);
    expect(settings(app)).toMatchObject({
      describedBy: 'construct',
      userPoolId: name(app.userPool),
      userPoolClientId: name(app.acceptedClient),
      acceptedClientIds: [name(app.acceptedClient)],
      authorizerFunctionName: name(app.authorizerFunction),
      tokenUse: 'access',
      tokenSource: { kind: 'querystring', name: 'idToken' },
      requiredGroups: ['chatters'],
    });
    expect(settings(app).api.logicalId).toBe(app.api);
  });

  test('without a description (API Gateway used directly) the first pool and its first client stand in', () => {
    const { assembly, app } = synthesize({ describe: false });
    const { name, settings } = settingsOf(assembly);
    expect(settings(app)).toMatchObject({
      describedBy: 'fallback',
      userPoolId: name(app.otherPool),
      userPoolClientId: name(app.otherPoolClient),
      requiredGroups: [],
    });
    expect(settings(app).tokenUse).toBeUndefined();
  });

  test('is read from the stack\'s metadata file, where newer aws-cdk-lib versions write it', () => {
    // GIVEN the same app in the layout of newer aws-cdk-lib: the manifest names a file that holds the stack's metadata
    const { assembly, app } = synthesize();
    const manifestFile = path.join(assembly, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const [artifactId, artifact] = Object.entries<Record<string, unknown>>(manifest.artifacts)
      .find(([, candidate]) => candidate.type === 'aws:cloudformation:stack')!;
    writeFileSync(path.join(assembly, `${artifactId}.metadata.json`), JSON.stringify(artifact.metadata));
    delete artifact.metadata;
    artifact.additionalMetadataFile = `${artifactId}.metadata.json`;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    // THEN the description is found there
    const { name, settings } = settingsOf(assembly);
    expect(settings(app)).toMatchObject({ describedBy: 'construct', userPoolId: name(app.userPool), userPoolClientId: name(app.acceptedClient) });
  });

  test('is read from a stack in a CDK stage (a nested cloud assembly)', () => {
    const { assembly, app } = synthesize({ inStage: true });
    const { stack, name, settings } = settingsOf(assembly);
    expect(stack.stackName).toBe('Local-DescribedApiStack');
    expect(stack.metadataEntries?.map((entry) => entry.constructPath)).toEqual(['/Local/DescribedApiStack/Chat']);
    expect(settings(app)).toMatchObject({ describedBy: 'construct', userPoolId: name(app.userPool), userPoolClientId: name(app.acceptedClient) });
  });

  test('a version this runtime does not know is refused with what to do', () => {
    const { assembly, app } = synthesize({ descriptionOverrides: { version: 2 } });
    const { settings } = settingsOf(assembly);
    expect(() => settings(app)).toThrow(
      `DescribedApiStack: ${app.constructPath}: the construct describes its API in version 2 of the ${API_DESCRIPTION_METADATA_TYPE} metadata entry; ` +
      'this local runtime reads version 1 only. Run the local runtime of the cdk-cognito-websocket-api version the app uses.');
  });

  test('a malformed description is refused, naming the field', () => {
    const { assembly, app } = synthesize({ descriptionOverrides: { tokenUse: 'refresh' } });
    expect(() => settingsOf(assembly).settings(app)).toThrow(/metadata entry is malformed: tokenUse "refresh" is not one of id, access/);
    const { assembly: noClients, app: other } = synthesize({ descriptionOverrides: { userPoolClients: undefined } });
    expect(() => settingsOf(noClients).settings(other)).toThrow(/malformed: userPoolClients must be a list/);
  });

  test('a pool the app does not define (imported by id) cannot be served: the first pool stands in, with a warning', () => {
    const { assembly, app } = synthesize({ descriptionOverrides: { userPool: 'eu-west-1_Imported1' } });
    const warnings: Array<Record<string, unknown>> = [];
    const { name, settings } = settingsOf(assembly, (entry) => warnings.push(entry));
    expect(settings(app)).toMatchObject({ describedBy: 'construct', userPoolId: name(app.otherPool) });
    expect(warnings).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringMatching(/user pool .* is not defined in the app/) })]);
  });
});

describe('the description CognitoAuthorizedWebSocketApi writes', () => {
  test('is what the runtime reads: the construct\'s API, pool, client and settings, not a fallback', () => {
    // GIVEN an app built with the construct: a required group, access tokens in another parameter, and a user pool of the
    // app's own created before the construct's, so that a fallback would pick the wrong one
    const assembly = mkdtempSync(path.join(tmpdir(), 'construct-description-'));
    directories.push(assembly);
    const app = new App({ outdir: assembly });
    const stack = new Stack(app, 'ConstructDescriptionStack');
    new cognito.UserPool(stack, 'EarlierPool').addClient('EarlierClient');
    const chat = new CognitoAuthorizedWebSocketApi(stack, 'Chat', {
      tokenUse: TokenUse.ACCESS,
      tokenSource: TokenSource.queryString('accessToken'),
      requiredGroups: ['chatters'],
    });
    app.synth();
    // WHEN the runtime decides what to serve
    const stacks = readCloudAssembly(assembly);
    const names = new LocalResourceNames(stacks, REGION);
    const name = (construct: IConstruct) => names.nameOf(stacks[0], stack.getLogicalId(construct.node.defaultChild as CfnElement));
    const pools = [stack.node.findChild('EarlierPool'), chat.userPool].map((pool) => ({
      userPoolId: name(pool),
      clientIds: pool === chat.userPool ? [name(chat.userPoolClient!)] : [name(pool.node.findChild('EarlierClient'))],
    }));
    const settings = findAuthorizerSettings({
      apis: findWebSocketApis(stacks),
      stacks,
      userPools: pools,
      names,
      resolver: new TemplateResolver(stacks, { region: REGION, accountId: '000000000000', resources: names.values }),
      log: () => undefined,
    });
    // THEN it follows the construct's description
    expect(settings).toMatchObject({
      describedBy: 'construct',
      userPoolId: name(chat.userPool),
      userPoolClientId: name(chat.userPoolClient!),
      acceptedClientIds: [name(chat.userPoolClient!)],
      authorizerFunctionName: name(chat.authorizerFunction),
      tokenUse: 'access',
      tokenSource: { kind: 'querystring', name: 'accessToken' },
      requiredGroups: ['chatters'],
    });
    expect(settings.api.logicalId).toBe(stack.getLogicalId(chat.webSocketApi.node.defaultChild as CfnElement));
  });
});

describe('startLocalRuntime on an app whose construct describes its API', () => {
  test('serves the described pool and client: the demo user signs in with them and the authorizer lets them in', async () => {
    // GIVEN an app whose first pool and first client are not the ones its authorizer accepts
    const { assembly, app } = synthesize();
    const [stack] = readCloudAssembly(assembly);
    const names = new LocalResourceNames([stack], REGION);
    // WHEN the runtime serves it
    const runtime = await startLocalRuntime({ cloudAssembly: assembly, region: REGION, onHandlerLog: () => undefined });
    try {
      // THEN the endpoints name the described pool and the accepted client
      expect(runtime.userPoolId).toBe(names.nameOf(stack, app.userPool));
      expect(runtime.userPoolClientId).toBe(names.nameOf(stack, app.acceptedClient));
      expect(runtime.authorizer).toMatchObject({ describedBy: 'construct', tokenUse: 'id' });
      // AND the demo user signs in with them and the deployed authorizer accepts the token
      const idToken = await signIn(runtime, runtime.demoUser!.username, runtime.demoUser!.password);
      const { socket, status } = await connect(`${runtime.websocketUrl}?idToken=${idToken}`);
      expect(status).toBeUndefined();
      socket!.close();
    } finally {
      await runtime.stop();
    }
  });
});
