import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  findFunction, findResources, findWebSocketApis, functionCode, layerDirectories, readCloudAssembly, StackArtifact, WebSocketApiDefinition,
} from './cloud-assembly';
import { FunctionRunner, companionScript } from './function-runner';
import { LocalIdentityProvider } from './identity';
import { LOCAL_COGNITO_ENDPOINT_ENV } from './jwks-interceptor';
import { LocalDynamoDb, startLocalDynamoDb } from './local-dynamodb';
import { LocalResourceValue, TemplateResolver, UnresolvableReferenceError } from './template-resolver';
import { WebSocketGateway } from './websocket-gateway';
import { HandlerEnvironment } from '../src/wire-contract';

export interface LocalRuntimeOptions {
  /** The cloud assembly directory (`cdk.out`) of a synthesized app. */
  readonly cloudAssembly: string;
  /**
   * Port of the web client and identity endpoint; the WebSocket APIs listen on the ports after it.
   * @default 0 - ephemeral ports everywhere
   */
  readonly port?: number;
  /** @default - the stacks' region if pinned, else AWS_REGION, else us-east-1 */
  readonly region?: string;
  /** @default 600 (API Gateway's) */
  readonly idleTimeoutSeconds?: number;
  /** @default 7200 (API Gateway's) */
  readonly maxConnectionAgeSeconds?: number;
  /** The user created at start in the first user pool, or false for none. @default - demo / a fixed demo password */
  readonly demoUser?: DemoUser | false;
  /** Directory of the web client served at `webUrl`. @default - the package's example web client */
  readonly webRoot?: string;
  /** Warm worker processes per function, at most. @default - the number of cores */
  readonly maxWorkersPerFunction?: number;
  /** Each line a handler logs. @default - written to stderr prefixed with the function name */
  readonly onHandlerLog?: (functionName: string, line: string) => void;
  /** Each gateway event (one JSON object, never a token) and each warning. @default - discarded */
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface DemoUser {
  readonly username: string;
  readonly password: string;
  readonly email?: string;
}

/** One served WebSocket API. */
export interface LocalWebSocketApi {
  readonly stackName: string;
  readonly logicalId: string;
  readonly name: string;
  readonly apiId: string;
  readonly stage: string;
  readonly websocketUrl: string;
  readonly callbackUrl: string;
  readonly routeKeys: string[];
}

/**
 * What a client needs to sign in and connect (DESIGN.md section 5): the CLI prints it (`--json`) and the web
 * client reads it as `/config.json`.
 */
export interface LocalEndpoints {
  /** The first API's WebSocket URL (the construct's, when there is one). */
  readonly websocketUrl: string;
  readonly callbackUrl: string;
  readonly region: string;
  readonly userPoolId?: string;
  readonly userPoolClientId?: string;
  /** Cognito-compatible endpoint: give it to `CognitoIdentityProviderClient` as `endpoint`. */
  readonly cognitoEndpoint: string;
  readonly webUrl: string;
}

export interface LocalRuntime extends LocalEndpoints {
  /** The fields above alone, as `/config.json` serves them. */
  readonly endpoints: LocalEndpoints;
  readonly apis: LocalWebSocketApi[];
  /** Local DynamoDB endpoint (dynalite) and the local names of the template's tables, by logical id. */
  readonly dynamoDbEndpoint: string;
  readonly tableNames: Record<string, string>;
  readonly demoUser?: DemoUser;
  /** Closes every connection (running `$disconnect`), then every worker, server and port. */
  stop(): Promise<void>;
}

/** The demo user's password satisfies Cognito's default policy (upper, lower, digit, symbol, 8+). */
export const DEFAULT_DEMO_USER: DemoUser = { username: 'demo', password: 'Demo-passw0rd!', email: 'demo@example.com' };
const ACCOUNT_ID = '000000000000';

/**
 * Serves every WebSocket API of a synthesized CDK app on 127.0.0.1 with real local parts: the gateway, the
 * `@connections` API, DynamoDB (dynalite), a Cognito-compatible identity endpoint, and the app's own Lambda
 * handlers from `cdk.out`, unchanged, with their template environment resolved to these local resources.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const stacks = readCloudAssembly(options.cloudAssembly);
  const apis = findWebSocketApis(stacks);
  if (apis.length === 0) {
    throw new Error(`no WebSocket API (AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET) in ${options.cloudAssembly}`);
  }
  const region = options.region ?? stacks.find((stack) => stack.region)?.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const log = options.log ?? (() => undefined);
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  };

  try {
    const localValues = new Map<string, Map<string, LocalResourceValue>>();
    const setValue = (stack: StackArtifact, logicalId: string, value: LocalResourceValue) => {
      const values = localValues.get(stack.stackName) ?? new Map();
      values.set(logicalId, value);
      localValues.set(stack.stackName, values);
    };
    const resolver = new TemplateResolver(stacks, { region, accountId: ACCOUNT_ID, resources: localValues });

    // Identity: every user pool and its app clients.
    const pools = findResources(stacks, 'AWS::Cognito::UserPool').map((pool) => {
      const userPoolId = `${region}_${stableId(pool.stack, pool.logicalId, 9, ALPHANUMERIC)}`;
      const providerName = `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
      setValue(pool.stack, pool.logicalId, {
        ref: userPoolId,
        attributes: {
          Arn: `arn:aws:cognito-idp:${region}:${ACCOUNT_ID}:userpool/${userPoolId}`,
          ProviderName: providerName,
          ProviderURL: `https://${providerName}`,
          UserPoolId: userPoolId,
        },
      });
      const autoVerify = pool.properties.AutoVerifiedAttributes;
      return { ...pool, userPoolId, autoVerifyEmail: Array.isArray(autoVerify) && autoVerify.includes('email'), clientIds: [] as string[] };
    });
    for (const client of findResources(stacks, 'AWS::Cognito::UserPoolClient')) {
      const clientId = stableId(client.stack, client.logicalId, 26, LOWER_ALPHANUMERIC);
      setValue(client.stack, client.logicalId, { ref: clientId, attributes: { ClientId: clientId, Name: client.logicalId } });
      const pool = pools.find((candidate) => candidate.stack === client.stack
        && candidate.logicalId === (client.properties.UserPoolId?.Ref as string | undefined));
      pool?.clientIds.push(clientId);
    }
    const identity = new LocalIdentityProvider({
      region,
      userPools: pools.map(({ stack, properties, userPoolId, clientIds, autoVerifyEmail }) => ({
        userPoolId,
        clientIds,
        autoVerifyEmail,
        passwordPolicy: resolver.resolve(stack, properties.Policies?.PasswordPolicy),
      })),
    });

    // Names of everything else a handler may be given.
    for (const stack of stacks) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        if (localValues.get(stack.stackName)?.has(logicalId)) continue;
        setValue(stack, logicalId, placeholderValue(stack, logicalId, resource.Type, resource.Properties ?? {}, region));
      }
    }

    // DynamoDB: each table from its own template definition, under its local name.
    const tables = findResources(stacks, 'AWS::DynamoDB::Table');
    const tableNames: Record<string, string> = {};
    const tableProperties = tables.map((table) => {
      const name = localValues.get(table.stack.stackName)!.get(table.logicalId)!.ref;
      tableNames[table.logicalId] = name;
      return { ...resolver.resolve(table.stack, table.properties), TableName: name };
    });
    const dynamoDb: LocalDynamoDb = await startLocalDynamoDb({ tables: tableProperties, region });
    cleanups.push(() => dynamoDb.close());

    // The web client, /config.json and the identity endpoint share one port.
    const webRoot = options.webRoot ?? findWebRoot();
    let config: LocalEndpoints | undefined;
    const webServer = createServer((request, response) => {
      serveWeb(request, response, identity, webRoot, () => config).catch((error) => {
        // A malformed request (a bad percent-escape in the path) must not become an unhandled rejection, which ends the process.
        if (!response.headersSent) response.writeHead(error instanceof URIError ? 400 : 500, { 'content-type': 'text/plain' });
        response.end();
      });
    });
    const webPort = await listen(webServer, options.port ?? 0);
    cleanups.push(() => closeServer(webServer));
    const webUrl = `http://127.0.0.1:${webPort}/`;
    const cognitoEndpoint = `http://127.0.0.1:${webPort}`;

    // Functions run in workers; the gateways need the runner, the functions need the gateways' URLs.
    const runner = new FunctionRunner({
      region,
      accountId: ACCOUNT_ID,
      maxWorkersPerFunction: options.maxWorkersPerFunction,
      preloads: [companionScript('jwks-interceptor').path],
      sharedEnvironment: {
        AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
        [LOCAL_COGNITO_ENDPOINT_ENV]: cognitoEndpoint,
      },
      onLog: options.onHandlerLog,
    });
    cleanups.push(() => runner.close());

    const gateways: Array<{ api: WebSocketApiDefinition; apiId: string; gateway: WebSocketGateway }> = [];
    for (const [index, api] of apis.entries()) {
      const apiId = stableId(api.stack, api.logicalId, 10, LOWER_ALPHANUMERIC);
      const functionName = (logicalId: string) => localValues.get(api.stack.stackName)!.get(logicalId)!.ref;
      const connectRoute = api.routes.find((route) => route.routeKey === '$connect');
      const gateway = new WebSocketGateway({
        apiId,
        stage: api.stageNames[0],
        region,
        accountId: ACCOUNT_ID,
        routeSelectionExpression: api.routeSelectionExpression,
        routes: api.routes.map((route) => ({
          routeKey: route.routeKey,
          functionName: route.functionLogicalId ? functionName(route.functionLogicalId) : undefined,
          twoWay: route.twoWay,
        })),
        authorizer: connectRoute?.authorizer ? {
          functionName: functionName(connectRoute.authorizer.functionLogicalId),
          identitySource: connectRoute.authorizer.identitySource,
        } : undefined,
        invoke: (name, event) => runner.invoke(name, event),
        port: options.port ? options.port + 1 + index : 0,
        idleTimeoutSeconds: options.idleTimeoutSeconds,
        maxConnectionAgeSeconds: options.maxConnectionAgeSeconds,
        log: (entry) => log({ ...entry, api: api.name }),
      });
      await gateway.start();
      cleanups.push(() => gateway.stop());
      gateways.push({ api, apiId, gateway });
      const endpointHost = `${apiId}.execute-api.${region}.amazonaws.com`;
      setValue(api.stack, api.logicalId, { ref: apiId, attributes: { ApiId: apiId, ApiEndpoint: `wss://${endpointHost}` } });
    }

    // What the template says of each function, with references resolved and API URLs pointed at this machine.
    const localizeUrls = (value: string) => gateways.reduce((text, { apiId, gateway }) => {
      const host = `${apiId}\\.execute-api\\.${region.replace(/-/g, '\\-')}\\.amazonaws\\.com`;
      return text
        .replace(new RegExp(`wss://${host}`, 'g'), `ws://127.0.0.1:${gateway.port}`)
        .replace(new RegExp(`https://${host}`, 'g'), `http://127.0.0.1:${gateway.port}`);
    }, value);
    const inlineDirectory = mkdtempSync(path.join(tmpdir(), 'cdk-cognito-ws-local-'));
    cleanups.push(() => rmSync(inlineDirectory, { recursive: true, force: true }));
    const registered = new Set<string>();
    for (const { api } of gateways) {
      const logicalIds = api.routes.flatMap((route) => [route.functionLogicalId, route.authorizer?.functionLogicalId]);
      for (const logicalId of logicalIds) {
        if (!logicalId || registered.has(`${api.stack.stackName}/${logicalId}`)) continue;
        registered.add(`${api.stack.stackName}/${logicalId}`);
        const fn = findFunction(api.stack, logicalId);
        const name = localValues.get(api.stack.stackName)!.get(logicalId)!.ref;
        const runtime = String(fn.properties.Runtime ?? '');
        if (!runtime.startsWith('nodejs')) {
          log({ level: 'warn', message: `${logicalId} uses ${runtime || 'an unknown runtime'}; only Node.js functions run locally` });
          continue;
        }
        const code = functionCode(fn);
        let codeDirectory: string;
        if (code.kind === 'inline') {
          // Lambda writes inline Node.js code to index.js.
          codeDirectory = path.join(inlineDirectory, name);
          mkdirSync(codeDirectory, { recursive: true });
          writeFileSync(path.join(codeDirectory, 'index.js'), code.source);
        } else {
          codeDirectory = code.directory;
        }
        const environment: Record<string, string> = {};
        for (const [key, value] of Object.entries<unknown>(fn.properties.Environment?.Variables ?? {})) {
          try {
            environment[key] = localizeUrls(resolver.resolveString(api.stack, value));
          } catch (error) {
            if (!(error instanceof UnresolvableReferenceError)) throw error;
            log({ level: 'warn', message: `${logicalId}: environment variable ${key} left empty: ${error.message}` });
            environment[key] = '';
          }
        }
        // Where Lambda's Node.js runtime looks for a layer's modules (NODE_PATH under /opt), here in the layer assets.
        const layerModules = layerDirectories(fn).flatMap((layer) => [
          path.join(layer, 'nodejs', 'node22', 'node_modules'),
          path.join(layer, 'nodejs', 'node_modules'),
        ]);
        if (layerModules.length > 0 && environment.NODE_PATH === undefined) environment.NODE_PATH = layerModules.join(path.delimiter);
        runner.register({
          name,
          codeDirectory,
          handler: String(fn.properties.Handler ?? 'index.handler'),
          timeoutSeconds: Number(fn.properties.Timeout ?? 3),
          memorySizeMb: Number(fn.properties.MemorySize ?? 128),
          environment,
        });
      }
    }

    // The construct's API (the one with an authorizer) is the one the endpoints line speaks of.
    const main = gateways.find(({ api }) => api.routes.some((route) => route.authorizer)) ?? gateways[0];
    // Its pool and client are the ones its authorizer accepts (the construct's environment names them).
    const mainAuthorizer = main.api.routes.find((route) => route.authorizer)?.authorizer;
    const authorizerEnvironment = mainAuthorizer
      ? runner.environmentOf(localValues.get(main.api.stack.stackName)!.get(mainAuthorizer.functionLogicalId)!.ref) ?? {}
      : {};
    const mainPool = pools.find((pool) => pool.userPoolId === authorizerEnvironment[HandlerEnvironment.USER_POOL_ID]) ?? pools[0];
    const acceptedClients = (authorizerEnvironment[HandlerEnvironment.CLIENT_IDS] ?? '').split(',');
    const userPoolClientId = mainPool?.clientIds.find((clientId) => acceptedClients.includes(clientId)) ?? mainPool?.clientIds[0];
    let demoUser: DemoUser | undefined;
    if (options.demoUser !== false && mainPool) {
      demoUser = options.demoUser ?? DEFAULT_DEMO_USER;
      identity.createUser({ userPoolId: mainPool.userPoolId, ...demoUser });
    }
    const endpoints: LocalEndpoints = {
      websocketUrl: main.gateway.url,
      callbackUrl: main.gateway.callbackUrl,
      region,
      userPoolId: mainPool?.userPoolId,
      userPoolClientId,
      cognitoEndpoint,
      webUrl,
    };
    config = endpoints;
    return {
      ...endpoints,
      endpoints,
      apis: gateways.map(({ api, apiId, gateway }) => ({
        stackName: api.stack.stackName,
        logicalId: api.logicalId,
        name: api.name,
        apiId,
        stage: gateway.stage,
        websocketUrl: gateway.url,
        callbackUrl: gateway.callbackUrl,
        routeKeys: api.routes.map((route) => route.routeKey),
      })),
      dynamoDbEndpoint: dynamoDb.endpoint,
      tableNames,
      demoUser,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Ids stay the same from one start to the next, so a web client's saved settings keep working. */
function stableId(stack: StackArtifact, logicalId: string, length: number, alphabet: string): string {
  const digest = createHash('sha256').update(`${stack.stackName}/${logicalId}`).digest();
  return [...digest.subarray(0, length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** The local name and ARN of a resource the runtime does not serve (or serves under this name: tables, functions). */
function placeholderValue(stack: StackArtifact, logicalId: string, type: string, properties: Record<string, any>,
  region: string): LocalResourceValue {
  const service = type.split('::')[1]?.toLowerCase() ?? 'local';
  const explicitName = [properties.StageName, properties.TableName, properties.FunctionName, properties.RoleName, properties.QueueName,
    properties.TopicName, properties.BucketName].find((name) => typeof name === 'string');
  const name = explicitName ?? `${stack.stackName}-${logicalId}-${stableId(stack, logicalId, 12, ALPHANUMERIC.slice(0, 26))}`;
  const arnResource = {
    'AWS::DynamoDB::Table': `table/${name}`,
    'AWS::Lambda::Function': `function:${name}`,
    'AWS::IAM::Role': `role/${name}`,
  }[type] ?? name;
  const arnService = { 'AWS::DynamoDB::Table': 'dynamodb', 'AWS::Lambda::Function': 'lambda', 'AWS::IAM::Role': 'iam' }[type] ?? service;
  const arn = `arn:aws:${arnService}:${arnService === 'iam' ? '' : region}:${ACCOUNT_ID}:${arnResource}`;
  return {
    ref: name,
    attributes: {
      Arn: arn,
      StreamArn: `${arn}/stream/1970-01-01T00:00:00.000`,
      RoleId: name,
      Name: name,
    },
  };
}

function findWebRoot(): string | undefined {
  // Bundled: assets/local/web (copied at build time); from source: examples/web.
  const candidates = [path.join(__dirname, 'web'), path.join(__dirname, '..', 'examples', 'web')];
  return candidates.find((candidate) => existsSync(path.join(candidate, 'index.html')));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

async function serveWeb(request: IncomingMessage, response: ServerResponse, identity: LocalIdentityProvider,
  webRoot: string | undefined, config: () => LocalEndpoints | undefined): Promise<void> {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  if (request.method === 'POST' || request.method === 'OPTIONS' || pathname.includes('/.well-known/')) {
    await identity.handleRequest(request, response);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  if (pathname === '/config.json') {
    const json = JSON.stringify(config() ?? {});
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(json);
    return;
  }
  const file = webRoot ? path.join(webRoot, pathname === '/' ? 'index.html' : pathname) : undefined;
  // Only files inside the web root, never a path that climbs out of it.
  if (!file || !file.startsWith(webRoot + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  const body = readFileSync(file);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
  }).end(request.method === 'HEAD' ? undefined : body);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
