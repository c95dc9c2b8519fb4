import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { AuthorizerSettings, findAuthorizerSettings } from './authorizer-settings';
import {
  findFunction, findResources, findWebSocketApis, readCloudAssembly, StackArtifact, WebSocketApiDefinition,
} from './cloud-assembly';
import { apiUrlLocalizer, FunctionRegistrationContext, localFunction, routeFunctions } from './function-registration';
import { companionScript, FunctionRunner } from './function-runner';
import { findFunctionUrls, FunctionUrlDefinition } from './function-url-definitions';
import { FunctionUrlServer } from './function-url-server';
import { CodeDelivery, LocalIdentityProvider } from './identity';
import type { SeedUser } from './identity/user-seed-file';
import { LOCAL_COGNITO_ENDPOINT_ENV } from './jwks-interceptor';
import { CloudFormationTableProperties, LocalDynamoDb, startLocalDynamoDb } from './local-dynamodb';
import { functionUrlId, LOCAL_ACCOUNT_ID, LocalResourceNames } from './local-resource-names';
import { createLocalUsers, DEFAULT_DEMO_USER, DemoUser } from './local-users';
import { AllowedOrigins } from './loopback-request-policy';
import { ManagementApiCounter, ManagementApiRequests } from './management-api-counter';
import { findScheduledFunctions, ScheduleRunner } from './scheduled-functions';
import { localStackOutputs, StackOutputs } from './stack-outputs';
import { StageThrottleSettings, stageThrottleSettings } from './stage-throttle';
import { TemplateResolver } from './template-resolver';
import { localUserPools, requiredGroupsByPool } from './user-pools-from-template';
import { startWebServer } from './web-server';
import { WebSocketGateway } from './websocket-gateway';

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
  /**
   * The user created at start in the pool clients sign in to, in every group the served APIs require; false for
   * none. Its password must meet the pool's policy; without one, one is drawn at random at each start.
   * @default - `demo`, with a random password
   */
  readonly demoUser?: Partial<DemoUser> | false;
  /**
   * Origins of web pages, besides loopback pages (`http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`),
   * that may call the runtime from a browser (`--allow-origin`): e.g. `https://app.example.com` for a page served
   * elsewhere that signs in and connects here. Requests without an `Origin` (SDKs, wscat) are served regardless.
   * @default - loopback pages only
   */
  readonly allowedOrigins?: readonly string[];
  /** More users to create in that pool, with their passwords, attributes and groups (`--users <file>`). @default - none */
  readonly users?: readonly SeedUser[];
  /**
   * Confirms users at SignUp, as a pre-sign-up trigger that auto-confirms would (`--auto-confirm`). Otherwise SignUp
   * leaves them unconfirmed, as Cognito does, and sends a code to `onCode`. @default false
   */
  readonly autoConfirmSignUp?: boolean;
  /** Each code the identity endpoint sends (sign-up, forgot password, attribute verification). @default - discarded */
  readonly onCode?: (delivery: CodeDelivery) => void;
  /** Directory of the web client served at `webUrl`. @default - the package's example web client */
  readonly webRoot?: string;
  /** Warm worker processes per function, at most. @default - the number of cores */
  readonly maxWorkersPerFunction?: number;
  /**
   * Invocations per function waiting for a worker, at most; past it an invocation fails with Lambda's throttling
   * error (a message then gets API Gateway's "Internal server error", a handshake a 500). @default 10,000
   */
  readonly maxQueuedInvocationsPerFunction?: number;
  /** Each line a handler logs. @default - written to stderr prefixed with the function name */
  readonly onHandlerLog?: (functionName: string, line: string) => void;
  /** Each gateway event (one JSON object, never a token) and each warning. @default - discarded */
  readonly log?: (entry: Record<string, unknown>) => void;
}

export { DEFAULT_DEMO_USER };
export type { DemoUser };

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
 * What a client needs to sign in and connect, and nothing else (no password, no token: the web client may show
 * it): the CLI prints it (`--json`) and the web client reads it as `/config.json`.
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
  /**
   * Where the API's authorizer reads the token (`querystring`, `header` or `subprotocol`) and under which name, as the
   * construct describes it; absent in an app without the construct.
   */
  readonly tokenSource?: { readonly kind: string; readonly name: string };
  /** Which token the API takes, `id` or `access`; absent in an app without the construct. */
  readonly tokenUse?: string;
  /** The stacks' outputs with local values, as `cdk deploy --outputs-file` writes them: `{ <stack>: { <output>: <value> } }`. */
  readonly outputs: StackOutputs;
}

/** One served Lambda function URL. */
export interface LocalFunctionUrl {
  readonly stackName: string;
  readonly logicalId: string;
  readonly functionName: string;
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
}

export interface LocalRuntime extends LocalEndpoints {
  /** The fields above alone, as `/config.json` serves them. */
  readonly endpoints: LocalEndpoints;
  readonly apis: LocalWebSocketApi[];
  /** The app's function URLs (`AWS::Lambda::Url` with `AuthType: NONE`), each on its own port. */
  readonly functionUrls: LocalFunctionUrl[];
  /** Local DynamoDB endpoint (dynalite) and the local names of the template's tables, by logical id. */
  readonly dynamoDbEndpoint: string;
  readonly tableNames: Record<string, string>;
  /** What the `@connections` APIs received, per connection and method: to check that each connection was reached once. */
  readonly managementApiRequests: ManagementApiRequests;
  readonly demoUser?: DemoUser;
  /** What the API's `$connect` authorizer accepts, as the construct describes it (or, without the construct, a fallback). */
  readonly authorizer: Omit<AuthorizerSettings, 'api'>;
  /**
   * Functions the template's EventBridge rules invoke on a `rate(...)` schedule (the construct's sweeper of expired
   * connections), which the runtime invokes on that rate, as EventBridge would.
   */
  readonly scheduledFunctions: string[];
  /** Invokes every scheduled function once, now, and resolves when each run ended: a schedule's tick on demand. */
  runSchedules(): Promise<void>;
  /** Closes every connection (running `$disconnect`), then every worker, server and port. */
  stop(): Promise<void>;
}

/** What a step that starts something leaves for `stop()`, run in reverse order. */
type Cleanup = () => Promise<void> | void;

/** A served API and its gateway. */
interface ServedApi {
  readonly api: WebSocketApiDefinition;
  readonly apiId: string;
  readonly gateway: WebSocketGateway;
}

/** A served function URL and its listener. */
interface ServedFunctionUrl {
  readonly definition: FunctionUrlDefinition;
  readonly functionName: string;
  readonly server: FunctionUrlServer;
}

/** What every step reads: the app, what its resources are called here, and how to resolve its references. */
interface RuntimeContext {
  readonly options: LocalRuntimeOptions;
  readonly stacks: StackArtifact[];
  readonly region: string;
  readonly names: LocalResourceNames;
  readonly resolver: TemplateResolver;
  readonly log: (entry: Record<string, unknown>) => void;
  /** The web pages every listener serves, besides requests without an `Origin`. */
  readonly allowedOrigins: AllowedOrigins;
  readonly cleanups: Cleanup[];
  readonly managementApiCounter: ManagementApiCounter;
}

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
  const names = new LocalResourceNames(stacks, region);
  const resolver = new TemplateResolver(stacks, { region, accountId: LOCAL_ACCOUNT_ID, resources: names.values });
  const allowedOrigins = new AllowedOrigins(options.allowedOrigins ?? []);
  const context: RuntimeContext = {
    options,
    stacks,
    region,
    names,
    resolver,
    log: options.log ?? (() => undefined),
    allowedOrigins,
    cleanups: [],
    managementApiCounter: new ManagementApiCounter(),
  };
  const stop = async () => {
    for (const cleanup of context.cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const userPools = localUserPools(context);
    const { api, ...authorizer } = findAuthorizerSettings({ apis, stacks, userPools, names, resolver, log: context.log });
    const identity = new LocalIdentityProvider({
      region, userPools, autoConfirmSignUp: options.autoConfirmSignUp ?? false, onCode: options.onCode,
    });
    const dynamoDb = await startTables(context);
    const web = await startWebServer({ port: options.port, webRoot: options.webRoot, identity, allowedOrigins });
    context.cleanups.push(web.close);
    const runner = startFunctionRunner(context, dynamoDb, web.cognitoEndpoint);
    const served = await startGateways(context, apis, runner);
    const functionUrls = await startFunctionUrls(context, served.length, runner);
    const { localizeUrls, registration } = registerFunctions(context, served, functionUrls, runner);
    const schedules = startSchedules(context, registration, runner);
    const main = served.find((candidate) => candidate.api === api) ?? served[0];
    const demoUser = createLocalUsers(identity, {
      userPoolId: authorizer.userPoolId,
      passwordPolicy: userPools.find((pool) => pool.userPoolId === authorizer.userPoolId)?.passwordPolicy,
      demoUser: options.demoUser,
      users: options.users,
      requiredGroups: requiredGroupsByPool(context),
    });
    const endpoints: LocalEndpoints = {
      websocketUrl: main.gateway.url,
      callbackUrl: main.gateway.callbackUrl,
      region,
      userPoolId: authorizer.userPoolId,
      userPoolClientId: authorizer.userPoolClientId,
      cognitoEndpoint: web.cognitoEndpoint,
      webUrl: web.url,
      ...(authorizer.tokenSource ? { tokenSource: authorizer.tokenSource } : {}),
      ...(authorizer.tokenUse ? { tokenUse: authorizer.tokenUse } : {}),
      outputs: localStackOutputs(stacks, resolver, localizeUrls),
    };
    web.serveConfig(endpoints);
    return {
      ...endpoints,
      endpoints,
      apis: served.map(describeServedApi),
      functionUrls: functionUrls.map(({ definition, functionName, server }) => ({
        stackName: definition.stack.stackName, logicalId: definition.logicalId, functionName, url: server.url,
      })),
      dynamoDbEndpoint: dynamoDb.endpoint,
      tableNames: localTableNames(context),
      managementApiRequests: readOnly(context.managementApiCounter),
      demoUser,
      authorizer,
      scheduledFunctions: schedules.functionNames,
      runSchedules: () => schedules.runAll(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** DynamoDB, with each table created from its own template definition under its local name. */
async function startTables({ stacks, names, resolver, region, allowedOrigins, cleanups }: RuntimeContext): Promise<LocalDynamoDb> {
  const tables = findResources(stacks, 'AWS::DynamoDB::Table').map((table) => ({
    ...resolver.resolve(table.stack, table.properties) as CloudFormationTableProperties,
    TableName: names.nameOf(table.stack, table.logicalId),
  }));
  const dynamoDb = await startLocalDynamoDb({ tables, region, allowedOrigins });
  cleanups.push(() => dynamoDb.close());
  return dynamoDb;
}

/** The handlers' worker processes, each given the local DynamoDB and (for the JWKS preload) the identity endpoint. */
function startFunctionRunner({ options, region, cleanups }: RuntimeContext, dynamoDb: LocalDynamoDb, cognitoEndpoint: string): FunctionRunner {
  const runner = new FunctionRunner({
    region,
    accountId: LOCAL_ACCOUNT_ID,
    maxWorkersPerFunction: options.maxWorkersPerFunction,
    maxQueuedInvocationsPerFunction: options.maxQueuedInvocationsPerFunction,
    preloads: [companionScript('jwks-interceptor').path],
    runtimeModulePaths: awsSdkModulePaths(),
    sharedEnvironment: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      // A handler's Cognito calls (AdminGetUser, ...) reach the local identity endpoint, as its DynamoDB calls reach dynalite.
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoEndpoint,
      [LOCAL_COGNITO_ENDPOINT_ENV]: cognitoEndpoint,
    },
    onLog: options.onHandlerLog,
  });
  cleanups.push(() => runner.close());
  return runner;
}

/** A gateway per API, on the ports after the web server's when one is given. */
async function startGateways(context: RuntimeContext, apis: WebSocketApiDefinition[], runner: FunctionRunner): Promise<ServedApi[]> {
  const { options, names, region, cleanups } = context;
  const served: ServedApi[] = [];
  for (const [index, api] of apis.entries()) {
    const functionName = (logicalId: string) => names.nameOf(api.stack, logicalId);
    const apiId = functionName(api.logicalId);
    const connectAuthorizer = api.routes.find((route) => route.routeKey === '$connect')?.authorizer;
    const gateway = new WebSocketGateway({
      apiId,
      stage: api.stageNames[0],
      region,
      accountId: LOCAL_ACCOUNT_ID,
      routeSelectionExpression: api.routeSelectionExpression,
      routes: api.routes.map(({ routeKey, functionLogicalId, twoWay }) => ({
        routeKey,
        functionName: functionLogicalId ? functionName(functionLogicalId) : undefined,
        twoWay,
      })),
      authorizer: connectAuthorizer
        ? { functionName: functionName(connectAuthorizer.functionLogicalId), identitySource: connectAuthorizer.identitySource }
        : undefined,
      invoke: (name, event) => runner.invoke(name, event),
      port: options.port ? options.port + 1 + index : 0,
      idleTimeoutSeconds: options.idleTimeoutSeconds,
      maxConnectionAgeSeconds: options.maxConnectionAgeSeconds,
      log: (entry) => context.log({ ...entry, api: api.name }),
      managementApiCounter: context.managementApiCounter,
      allowedOrigins: context.allowedOrigins,
      throttle: servedStageThrottle(context, api),
    });
    await gateway.start();
    cleanups.push(() => gateway.stop());
    served.push({ api, apiId, gateway });
  }
  return served;
}

/** The throttle settings of the API's served stage; a limit that cannot be resolved here is left out, with a warning. */
function servedStageThrottle({ resolver, log }: RuntimeContext, api: WebSocketApiDefinition): StageThrottleSettings {
  const warn = (what: string) => log({ level: 'warn', message: `API ${api.name}: the stage's ${what}; that throttle is not applied locally` });
  let properties: unknown;
  try {
    // Only the settings read: a stage's other properties (its access log's destination, ...) need not resolve here.
    const { DefaultRouteSettings, RouteSettings } = api.servedStageProperties ?? {};
    properties = resolver.resolve(api.stack, { DefaultRouteSettings, RouteSettings });
  } catch (error) {
    warn(`throttle settings cannot be resolved (${error instanceof Error ? error.message : String(error)})`);
    return {};
  }
  return stageThrottleSettings(properties as Record<string, unknown> | undefined, (setting) => warn(`${setting} is not a number`));
}

/** A listener per function URL of the app, on the ports after the gateways' when a port is given. */
async function startFunctionUrls(context: RuntimeContext, gatewayCount: number, runner: FunctionRunner): Promise<ServedFunctionUrl[]> {
  const { options, names, cleanups } = context;
  const served: ServedFunctionUrl[] = [];
  for (const [index, definition] of findFunctionUrls(context.stacks, context.log).entries()) {
    const functionName = names.nameOf(definition.stack, definition.functionLogicalId);
    const server = new FunctionUrlServer({
      functionName,
      urlId: functionUrlId(definition.stack, definition.logicalId),
      accountId: LOCAL_ACCOUNT_ID,
      cors: definition.cors,
      invoke: (name, event) => runner.invoke(name, event),
      port: options.port ? options.port + 1 + gatewayCount + index : 0,
    });
    await server.start();
    cleanups.push(() => server.stop());
    served.push({ definition, functionName, server });
  }
  return served;
}

/**
 * Registers every function of the APIs' routes and authorizers and of the function URLs, its API and function URLs
 * pointed at the local listeners; returns that rewrite (for the stacks' outputs) and the registration settings (for
 * the scheduled functions).
 */
function registerFunctions(context: RuntimeContext, served: ServedApi[], functionUrls: ServedFunctionUrl[], runner: FunctionRunner) {
  const inlineCodeDirectory = mkdtempSync(path.join(tmpdir(), 'cdk-cognito-ws-local-'));
  context.cleanups.push(() => rmSync(inlineCodeDirectory, { recursive: true, force: true }));
  const localizeUrls = apiUrlLocalizer(served.map(({ apiId, gateway }) => ({ apiId, port: gateway.port })), context.region,
    functionUrls.map(({ definition, server }) => ({ urlId: functionUrlId(definition.stack, definition.logicalId), port: server.port })));
  const registration = { ...context, inlineCodeDirectory, localizeUrls };
  const functions = routeFunctions(served.map(({ api }) => api), registration);
  for (const { definition } of functionUrls) {
    if (functions.some((fn) => fn.name === context.names.nameOf(definition.stack, definition.functionLogicalId))) continue;
    const local = localFunction(findFunction(definition.stack, definition.functionLogicalId), registration);
    if (local) functions.push(local);
  }
  for (const fn of functions) runner.register(fn);
  return { localizeUrls, registration };
}

/** Registers every function a `rate(...)` schedule invokes, and invokes it on that rate until `stop()`. */
function startSchedules(
  context: RuntimeContext, registration: FunctionRegistrationContext, runner: FunctionRunner,
): { functionNames: string[]; runAll: () => Promise<void> } {
  const schedules = findScheduledFunctions(context.stacks, context.log).flatMap((scheduled) => {
    const fn = localFunction(scheduled.function, registration);
    if (!fn) return [];
    runner.register(fn);
    return [{ functionName: fn.name, ruleName: scheduled.ruleLogicalId, everyMs: scheduled.everyMs, input: scheduled.input }];
  });
  const scheduleRunner = new ScheduleRunner({
    schedules, region: context.region, accountId: LOCAL_ACCOUNT_ID, invoke: (name, event) => runner.invoke(name, event), log: context.log,
  });
  scheduleRunner.start();
  context.cleanups.push(() => scheduleRunner.stop());
  return { functionNames: schedules.map((schedule) => schedule.functionName), runAll: () => scheduleRunner.runAll() };
}

/** The local name of every table, by logical id; by `<stack>/<logical id>` where two stacks use the same logical id. */
function localTableNames({ stacks, names }: RuntimeContext): Record<string, string> {
  const tables = findResources(stacks, 'AWS::DynamoDB::Table');
  const shared = (logicalId: string) => tables.filter((table) => table.logicalId === logicalId).length > 1;
  return Object.fromEntries(tables.map((table) => [
    shared(table.logicalId) ? `${table.stack.stackName}/${table.logicalId}` : table.logicalId, names.nameOf(table.stack, table.logicalId),
  ]));
}

function describeServedApi({ api, apiId, gateway }: ServedApi): LocalWebSocketApi {
  return {
    stackName: api.stack.stackName,
    logicalId: api.logicalId,
    name: api.name,
    apiId,
    stage: gateway.stage,
    websocketUrl: gateway.url,
    callbackUrl: gateway.callbackUrl,
    routeKeys: api.routes.map((route) => route.routeKey),
  };
}

/** The counter's counts, without its `record`: only the `@connections` APIs count. */
function readOnly(counter: ManagementApiCounter): ManagementApiRequests {
  return {
    countsOf: (connectionId) => counter.countsOf(connectionId),
    get total() {
      return counter.total;
    },
  };
}

/**
 * Where the AWS SDK v3 that Lambda's Node.js runtime provides is found on this machine: the `node_modules` directory
 * holding `@aws-sdk/client-dynamodb` as the runtime itself resolves it (the app's project, when the runtime is one of
 * its dependencies). A function bundled with the SDK left out (NodejsFunction's default) then loads it there, wherever
 * its code lives. None when the SDK is not installed: such a function then fails as it would without the SDK.
 */
function awsSdkModulePaths(): string[] {
  let entry: string;
  try {
    entry = require.resolve('@aws-sdk/client-dynamodb');
  } catch {
    return [];
  }
  const at = entry.lastIndexOf(path.join('node_modules', '@aws-sdk', 'client-dynamodb'));
  return at < 0 ? [] : [entry.slice(0, at + 'node_modules'.length)];
}
