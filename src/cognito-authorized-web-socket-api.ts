import * as path from 'path';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { canTakeEnvironment, setConnectionsEnvironment } from './connections-environment';
import { isNewestNodeRuntime, newestNodeRuntime } from './handler-runtime';
import { suppressNag, suppressRouteAuthorizationNag } from './nag';
import { TokenSource } from './token-source';
import { TokenUse } from './token-use';
import {
  validateConnectionTtl, validateHandlerRuntime, validateMaxConnectionsPerUser, validateRequiredGroups, validateRequiredScopes,
  validateRouteKey, validateStageName, validateThrottle, validateUserPoolClients,
} from './validation';
import {
  API_DESCRIPTION_METADATA_TYPE, ApiDescription, ConnectionAttributes, ConnectionsEnvironment, DEFAULT_CONNECTION_TTL_SECONDS,
  HandlerAssetName, HandlerAssets, HandlerEnvironment, SWEEP_WINDOW_MINUTES, TokenSourceKind, TokenUseValue,
} from './wire-contract';

/**
 * Properties of a `CognitoAuthorizedWebSocketApi`. Every one is optional: with none, the construct
 * builds what the AWS sample "websocket-api-cognito-auth-sample" builds.
 */
export interface CognitoAuthorizedWebSocketApiProps {
  /**
   * The user pool whose users may connect.
   *
   * @default - a new user pool as the AWS sample's: self sign-up, sign-in with user name or email,
   * email auto-verified, destroyed with the stack
   */
  readonly userPool?: cognito.IUserPool;

  /**
   * The app clients of `userPool` whose tokens are accepted.
   *
   * @default - one new public app client (no secret) with SRP, password and refresh-token flows,
   * created on `userPool` (on the new pool, or on the pool you pass)
   */
  readonly userPoolClients?: cognito.IUserPoolClient[];

  /**
   * Which token the client presents.
   *
   * @default TokenUse.ID
   */
  readonly tokenUse?: TokenUse;

  /**
   * Where the client puts its token when it opens the WebSocket.
   *
   * @default TokenSource.queryString('idToken')
   */
  readonly tokenSource?: TokenSource;

  /**
   * OAuth scopes of which the access token must hold at least one (its `scope` claim), e.g.
   * `['chat/read']` for a scope of a resource server, or `['aws.cognito.signin.user.admin']`,
   * which Cognito puts in every access token of a sign-in through its API. Only access tokens
   * carry scopes: needs `tokenUse: TokenUse.ACCESS`.
   *
   * @default - an access token with any scopes, or none, may connect
   */
  readonly requiredScopes?: string[];

  /**
   * Whether connections end when the token that opened them expires. Each row records the token's
   * expiry; a function runs every minute and closes the connections whose token has expired, at most
   * about a minute late, reading only a sparse index of expiry minutes (never scanning the table).
   * It looks back 15 minutes each run, so runs that failed are made up for. The `$default` echo
   * also refuses, and closes, a connection whose token has expired, whatever this setting.
   *
   * Clients see the close (code 1000, or 1001 going away) and reconnect with a refreshed token.
   *
   * Turn it off only when your own code ends sessions: a connection then lives until the client
   * leaves or API Gateway's 2-hour limit, whatever the token's lifetime or a sign-out.
   *
   * @default true
   */
  readonly closeExpiredConnections?: boolean;

  /**
   * The most connections one user may hold at once. `$connect` counts the user's live rows (on the
   * `userIdIndex` index, leaving out rows whose token expired) and refuses a connection beyond the
   * limit with status 429: the client's handshake fails with HTTP 429.
   *
   * The count and the write are not one transaction: two connects of the same user at the same
   * moment can both pass, so a user can briefly hold a connection or two more than the limit.
   *
   * @default - no limit
   */
  readonly maxConnectionsPerUser?: number;

  /**
   * Cognito groups of which the user must be in at least one (`cognito:groups` claim).
   *
   * @default - a user in any group, or in none, may connect
   */
  readonly requiredGroups?: string[];

  /**
   * The function behind the `$default` route. It receives the authorizer context in
   * `requestContext.authorizer`.
   *
   * @default - a function that echoes `{"message": <body>}` back to the sender, as the AWS sample does
   */
  readonly defaultRouteHandler?: lambda.IFunction;

  /**
   * The name of the stage, the last path segment of `url`.
   *
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * How long after `$connect` a connection's row expires (its `removedAt` TTL) if `$disconnect`
   * never removes it. At least 2 hours, API Gateway's longest connection, so the row of a live
   * connection never expires; at most 7 days.
   *
   * @default Duration.hours(3)
   */
  readonly connectionTtl?: Duration;

  /**
   * What happens to the connections table when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY - its rows describe connections that ended with the old API
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether the stage writes one JSON access log line per connect, message and disconnect to a
   * new log group. The line holds the request id, connection id, event type, route, status and
   * error messages; never the query string or a header, so never a token.
   *
   * API Gateway can write the log only once the account's API Gateway CloudWatch Logs role is set
   * in its region: see `cloudWatchRole`.
   *
   * @default true
   */
  readonly accessLogging?: boolean;

  /**
   * Whether to create the IAM role that API Gateway uses to write logs, and set it as the
   * account's API Gateway CloudWatch Logs role in this region (an account-wide setting, like
   * aws-apigateway's `RestApi` `cloudWatchRole`). The role is retained when the stack is deleted,
   * because other APIs of the account may rely on it. Set `false` when the account already has
   * the role set (by another stack, or by hand), or when `accessLogging` is `false`.
   *
   * @default - the value of `accessLogging`
   */
  readonly cloudWatchRole?: boolean;

  /**
   * Request rate and burst limits per second that each route of the stage gets (its default route
   * settings): `$connect` has its own limits, and so does each message route.
   *
   * A limit left out of `throttle` keeps its default.
   *
   * @default - rate 500 requests per second, burst 1,000 (the account limit is 10,000 and 5,000:
   * one API cannot take all of it)
   */
  readonly throttle?: apigwv2.ThrottleSettings;

  /**
   * The Lambda runtime of the functions the construct bundles (authorizer, connect, disconnect, echo): a
   * Node.js runtime, 22 or newer.
   *
   * The default follows aws-cdk-lib: each upgrade of aws-cdk-lib that adds a Node.js runtime moves the
   * functions to it on the next deployment, so they never run on a runtime nearing its end of support.
   * Pin one here to change runtimes on your own schedule.
   *
   * @default - the newest Node.js runtime the installed aws-cdk-lib knows, and never older than Node.js 22
   */
  readonly runtime?: lambda.Runtime;

  /**
   * AWS X-Ray tracing of the functions the construct bundles.
   *
   * On by default: a trace shows where a slow `$connect` spent its time (the key fetch, DynamoDB), and
   * X-Ray's default sampling (the first request each second, then 5%) bounds its cost. API Gateway does
   * not trace WebSocket APIs, so `Tracing.PASS_THROUGH` would record nothing.
   *
   * @default Tracing.ACTIVE
   */
  readonly tracing?: lambda.Tracing;
}

/** Options of `CognitoAuthorizedWebSocketApi.addRoute`. */
export interface AddCognitoAuthorizedRouteOptions {
  /**
   * Whether the route sends the integration's response body back to the caller
   * (a two-way route).
   *
   * @default false
   */
  readonly returnResponse?: boolean;
}

/** Rate limits applied when `throttle` is not given. */
const DEFAULT_THROTTLE = { rateLimit: 500, burstLimit: 1000 };

/** The access log line: identifiers, outcome and errors, never a request's query string or headers. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  connectionId: '$context.connectionId',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  status: '$context.status',
  error: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  integrationError: '$context.integration.error',
});

/** What invokes a bundled handler: API Gateway (synchronously, per request) or an EventBridge schedule (asynchronously). */
type HandlerInvoker = 'api-gateway' | 'schedule';

interface HandlerOptions {
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 'api-gateway' */
  readonly invokedBy?: HandlerInvoker;
}

/** Why a bundled handler has no dead-letter queue, by what invokes it. */
const NO_DEAD_LETTER_QUEUE_REASONS: Record<HandlerInvoker, string> = {
  'api-gateway': 'API Gateway invokes this function synchronously: a dead-letter queue ' +
    'receives only failed asynchronous invocations, so it would never receive anything.',
  'schedule': 'EventBridge invokes this function asynchronously every minute with an empty event and no retries: a failed ' +
    `run is made up for by the next one, which sweeps the last ${SWEEP_WINDOW_MINUTES} minutes again, and shows in the ` +
    'function\'s Errors metric and log; a dead-letter queue would only collect schedule events that carry nothing to replay.',
};

/** The props with every default applied and every value checked. */
interface Settings {
  readonly stageName: string;
  readonly connectionTtl: Duration;
  readonly requiredGroups: string[];
  readonly requiredScopes: string[];
  readonly throttle: Required<apigwv2.ThrottleSettings>;
  readonly tokenUse: TokenUse;
  readonly tokenSource: TokenSource;
  readonly removalPolicy: RemovalPolicy;
  readonly accessLogging: boolean;
  readonly cloudWatchRole: boolean;
  readonly closeExpiredConnections: boolean;
  readonly maxConnectionsPerUser?: number;
  readonly runtime: lambda.Runtime;
  readonly tracing: lambda.Tracing;
}

/**
 * An API Gateway WebSocket API that only users signed in to an Amazon Cognito user pool can open,
 * with every live connection tracked in DynamoDB.
 *
 * `$connect` runs a Lambda REQUEST authorizer that verifies the Cognito token, then a function that
 * writes `{connectionId, userId, removedAt}` to the connections table; `$disconnect` deletes the row;
 * `$default` echoes unless `defaultRouteHandler` replaces it. Routes added with `addRoute` receive
 * the authorizer context (`userId`, `username`, `groups`, `tokenUse`, `exp`) in
 * `requestContext.authorizer`.
 */
export class CognitoAuthorizedWebSocketApi extends Construct {
  /** The WebSocket API. */
  public readonly webSocketApi: apigwv2.WebSocketApi;
  /** The auto-deployed stage. */
  public readonly stage: apigwv2.WebSocketStage;
  /** The URL clients connect to: `wss://{apiId}.execute-api.{region}.{urlSuffix}/{stageName}`. */
  public readonly url: string;
  /** The stage's @connections management API endpoint: `https://{apiId}.execute-api.{region}.{urlSuffix}/{stageName}`. */
  public readonly callbackUrl: string;
  /** One row per live connection: `connectionId` (key), `userId` (GSI `userIdIndex`), `removedAt` (TTL). */
  public readonly connectionsTable: dynamodb.ITable;
  /** The user pool whose users may connect. */
  public readonly userPool: cognito.IUserPool;
  /** The app client the construct created, or `undefined` when `userPoolClients` was given. */
  public readonly userPoolClient?: cognito.IUserPoolClient;
  /** The app clients whose tokens are accepted. */
  public readonly userPoolClients: cognito.IUserPoolClient[];
  /** The `$connect` authorizer: verifies the Cognito token. */
  public readonly authorizerFunction: lambda.IFunction;
  /** The `$connect` integration: records the connection. */
  public readonly connectFunction: lambda.IFunction;
  /** The `$disconnect` integration: forgets the connection. */
  public readonly disconnectFunction: lambda.IFunction;
  /** The `$default` integration: `defaultRouteHandler`, or the echo function. */
  public readonly defaultRouteFunction: lambda.IFunction;
  /** The stage's access log group, when `accessLogging` is on. */
  public readonly accessLogGroup?: logs.ILogGroup;
  /** The function that closes connections whose token expired, every minute, when `closeExpiredConnections` is on. */
  public readonly sweeperFunction?: lambda.IFunction;

  private readonly table: dynamodb.Table;
  private readonly settings: Settings;

  constructor(scope: Construct, id: string, props: CognitoAuthorizedWebSocketApiProps = {}) {
    super(scope, id);
    const settings = settingsOf(props);
    this.settings = settings;

    this.userPool = props.userPool ?? this.createUserPool();
    const clients = this.acceptedClients(props.userPoolClients);
    this.userPoolClient = clients.created;
    this.userPoolClients = clients.accepted;

    this.table = this.createConnectionsTable(settings);
    this.connectionsTable = this.table;

    // The API and its stage come before the handlers: the echo handler is given the stage's callback URL.
    this.webSocketApi = new apigwv2.WebSocketApi(this, 'Api', {
      description: 'WebSocket API open to signed-in Cognito users',
      routeSelectionExpression: '$request.body.action',
    });
    this.stage = this.createStage(settings);
    this.url = this.stage.url;
    this.callbackUrl = this.stage.callbackUrl;

    this.authorizerFunction = this.createAuthorizerFunction(settings);
    this.connectFunction = this.createConnectFunction(settings);
    this.disconnectFunction = this.createDisconnectFunction();
    this.defaultRouteFunction = props.defaultRouteHandler ?? this.createEchoFunction();
    if (props.defaultRouteHandler && canTakeEnvironment(props.defaultRouteHandler)) {
      setConnectionsEnvironment(props.defaultRouteHandler, this.connectionsEnvironment, this);
    }

    this.addLifecycleRoutes(settings.tokenSource);
    if (settings.closeExpiredConnections) {
      this.sweeperFunction = this.createSweeper();
    }

    if (settings.accessLogging) {
      this.accessLogGroup = this.createAccessLogGroup();
    } else {
      for (const rule of ['AwsSolutions-APIG1', 'Serverless-APIGWAccessLogging']) {
        suppressNag(this.cfnStage, rule,
          'Access logging is turned off on purpose: the accessLogging prop of CognitoAuthorizedWebSocketApi is false.');
      }
    }
    if (settings.cloudWatchRole) {
      this.setAccountLoggingRole();
    }

    this.describeApi(settings);
  }

  /**
   * Routes messages whose `action` is `routeKey` to `handler`, which receives the authorizer
   * context (`userId`, `username`, `groups`, `tokenUse`, `exp`) in `requestContext.authorizer`
   * (`callerIdentity(event)` of `cdk-cognito-websocket-api/runtime` reads it).
   *
   * When `handler` is a function of this app, it also gets the environment variables
   * `WebSocketConnections.fromEnvironment()` reads (`WEBSOCKET_CONNECTIONS_TABLE`,
   * `WEBSOCKET_CALLBACK_URL`); it gets no permission: grant what it uses, e.g. `grantSendToUser`.
   *
   * @param routeKey the value of the message's `action` property
   * @param handler the function that handles the message
   */
  public addRoute(routeKey: string, handler: lambda.IFunction, options: AddCognitoAuthorizedRouteOptions = {}): apigwv2.WebSocketRoute {
    validateRouteKey(routeKey);
    const id = `${routeKey}-Route`;
    if (this.webSocketApi.node.tryFindChild(id)) {
      throw new Error(`addRoute('${routeKey}'): a route with this key already exists on this API`);
    }
    const route = this.webSocketApi.addRoute(routeKey, {
      integration: new WebSocketLambdaIntegration(`${routeKey}Integration`, handler),
      returnResponse: options.returnResponse,
    });
    suppressRouteAuthorizationNag(route);
    if (canTakeEnvironment(handler)) {
      setConnectionsEnvironment(handler, this.connectionsEnvironment, this);
    }
    return route;
  }

  /**
   * Makes `fn` a sender: gives it the environment variables `WebSocketConnections.fromEnvironment()`
   * reads (`WEBSOCKET_CONNECTIONS_TABLE`, `WEBSOCKET_CALLBACK_URL`) and what `grantSendToUser` grants.
   * For `broadcast` add `grantBroadcast`, for `disconnect` and `disconnectUser` `grantDisconnect`.
   *
   * @param fn a function of this app (an imported one cannot be given environment variables:
   * use `grantSendToUser` and pass `tableName` and `callbackUrl` to `WebSocketConnections` yourself)
   */
  public addSender(fn: lambda.IFunction): iam.Grant {
    if (!canTakeEnvironment(fn)) {
      throw new Error(
        `addSender(${fn.node.path}): only a function defined in this app can be given environment variables; for an imported ` +
        'function call grantSendToUser(fn) and pass tableName and callbackUrl to new WebSocketConnections({ ... }) in its code');
    }
    setConnectionsEnvironment(fn, this.connectionsEnvironment, this);
    return this.grantSendToUser(fn);
  }

  /**
   * Lets `grantee` call every method of this stage's @connections management API (`callbackUrl`):
   * POST (send to a connection), GET (read a connection's details, its source IP among them) and
   * DELETE (disconnect any connection); nothing else of the API. A function that only sends needs
   * `grantPostToConnections`.
   */
  public grantManageConnections(grantee: iam.IGrantable): iam.Grant {
    return this.stage.grantManagementApiAccess(grantee);
  }

  /**
   * Lets `grantee` post messages to connections of this stage (`POST @connections/{id}`), and
   * neither read a connection's details (GET) nor close it (DELETE).
   */
  public grantPostToConnections(grantee: iam.IGrantable): iam.Grant {
    return this.grantConnectionsMethod(grantee, 'POST');
  }

  /**
   * Lets `grantee` call `sendToUser`, `sendToConnection(s)` and `listConnections` of
   * `cdk-cognito-websocket-api/runtime`, and nothing more: `Query` on the `userIdIndex` index,
   * `DeleteItem` on the table (the row of a connection found gone), and POST on this stage's
   * `@connections`.
   */
  public grantSendToUser(grantee: iam.IGrantable): iam.Grant {
    return this.grantQueryUserIdIndex(grantee)
      .combine(this.grantTable(grantee, 'dynamodb:DeleteItem'))
      .combine(this.grantPostToConnections(grantee));
  }

  /**
   * Lets `grantee` call `broadcast` of `cdk-cognito-websocket-api/runtime`: `Scan` on the table,
   * `DeleteItem` on it (gone connections) and POST on this stage's `@connections`.
   */
  public grantBroadcast(grantee: iam.IGrantable): iam.Grant {
    return this.grantTable(grantee, 'dynamodb:Scan')
      .combine(this.grantTable(grantee, 'dynamodb:DeleteItem'))
      .combine(this.grantPostToConnections(grantee));
  }

  /**
   * Lets `grantee` call `disconnect` and `disconnectUser` of `cdk-cognito-websocket-api/runtime`:
   * `Query` on the `userIdIndex` index, `DeleteItem` on the table, and DELETE on this stage's
   * `@connections` (which closes a connection).
   */
  public grantDisconnect(grantee: iam.IGrantable): iam.Grant {
    return this.grantQueryUserIdIndex(grantee)
      .combine(this.grantTable(grantee, 'dynamodb:DeleteItem'))
      .combine(this.grantConnectionsMethod(grantee, 'DELETE'));
  }

  /**
   * Lets `grantee` read the connections table: `GetItem` a connection, `Query` a user's connections
   * on the `userIdIndex` index.
   */
  public grantReadConnections(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem'], resourceArns: [this.table.tableArn] })
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: [this.table.tableArn, this.userIdIndexArn] }));
  }

  private createUserPool(): cognito.IUserPool {
    const userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Cognito's default policy, stated so that it is visible in the template.
      passwordPolicy: { minLength: 8, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    suppressNag(userPool, 'AwsSolutions-COG2',
      'The AWS sample, which this default reproduces, signs users up without MFA; pass your own userPool to require it.');
    // cdk-nag reports the missing threat protection as COG3 before 2.37 and as COG8 (Plus plan) since.
    for (const rule of ['AwsSolutions-COG3', 'AwsSolutions-COG8']) {
      suppressNag(userPool, rule,
        'Advanced security (threat protection) needs the paid Cognito Plus plan; pass your own userPool to enforce it.');
    }
    return userPool;
  }

  /** The app clients given (checked against `userPool`), or one created on `userPool`. */
  private acceptedClients(
    given: cognito.IUserPoolClient[] | undefined,
  ): { created?: cognito.IUserPoolClient; accepted: cognito.IUserPoolClient[] } {
    if (given !== undefined) {
      validateUserPoolClients(this, this.userPool, given);
      return { accepted: [...given] };
    }
    const created = this.userPool.addClient('UserPoolClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      // Refresh tokens are always issued; the sample's web client renews its ID token with them.
      enableTokenRevocation: true,
      // The sample's web client signs in with SRP or a password; no hosted UI, so no OAuth flows to abuse.
      disableOAuth: true,
      preventUserExistenceErrors: true,
    });
    return { created, accepted: [created] };
  }

  private createConnectionsTable(settings: Settings): dynamodb.Table {
    const table = new dynamodb.Table(this, 'ConnectionsTable', {
      partitionKey: { name: ConnectionAttributes.CONNECTION_ID, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: ConnectionAttributes.REMOVED_AT,
      removalPolicy: settings.removalPolicy,
    });
    table.addGlobalSecondaryIndex({
      indexName: ConnectionAttributes.USER_ID_INDEX,
      partitionKey: { name: ConnectionAttributes.USER_ID, type: dynamodb.AttributeType.STRING },
    });
    if (settings.closeExpiredConnections) {
      // Sparse: only rows with an expiry are in it; the sweeper reads one partition per minute, never the table.
      table.addGlobalSecondaryIndex({
        indexName: ConnectionAttributes.EXPIRY_INDEX,
        partitionKey: { name: ConnectionAttributes.EXPIRY_MINUTE, type: dynamodb.AttributeType.NUMBER },
        projectionType: dynamodb.ProjectionType.INCLUDE,
        nonKeyAttributes: [ConnectionAttributes.EXPIRES_AT],
      });
    }
    suppressNag(table, 'AwsSolutions-DDB3',
      'Rows describe live WebSocket connections only; after a restore they would name connections that no longer exist, so point-in-time recovery has nothing to recover.');
    return table;
  }

  /** The auto-deployed stage, with every route throttled. */
  private createStage(settings: Settings): apigwv2.WebSocketStage {
    return new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.webSocketApi,
      stageName: settings.stageName,
      autoDeploy: true,
      throttle: settings.throttle,
    });
  }

  /** The `$connect` authorizer: verifies the token against the pool, its clients, token use and groups; no table access. */
  private createAuthorizerFunction(settings: Settings): lambda.Function {
    return this.createHandler('Authorizer', HandlerAssets.AUTHORIZER, {
      [HandlerEnvironment.USER_POOL_ID]: this.userPool.userPoolId,
      [HandlerEnvironment.CLIENT_IDS]: joinIds(this.userPoolClients),
      [HandlerEnvironment.TOKEN_USE]: settings.tokenUse.value,
      [HandlerEnvironment.TOKEN_SOURCE_KIND]: settings.tokenSource.kind,
      [HandlerEnvironment.TOKEN_SOURCE_NAME]: settings.tokenSource.name,
      [HandlerEnvironment.REQUIRED_GROUPS]: settings.requiredGroups.join(','),
      // Scope tokens cannot contain spaces (RFC 6749), so the list is space-separated, as in the token's claim.
      ...(settings.requiredScopes.length > 0 ? { [HandlerEnvironment.REQUIRED_SCOPES]: settings.requiredScopes.join(' ') } : {}),
    }, { timeout: Duration.seconds(5) });
  }

  /** The `$connect` integration: writes the connection's row. */
  private createConnectFunction(settings: Settings): lambda.Function {
    const limit = settings.maxConnectionsPerUser;
    const connectFunction = this.createHandler('Connect', HandlerAssets.CONNECT, {
      [HandlerEnvironment.TABLE_NAME]: this.table.tableName,
      [HandlerEnvironment.CONNECTION_TTL_SECONDS]: String(settings.connectionTtl.toSeconds()),
      [HandlerEnvironment.TOKEN_SOURCE_KIND]: settings.tokenSource.kind,
      ...(limit !== undefined ? { [HandlerEnvironment.MAX_CONNECTIONS_PER_USER]: String(limit) } : {}),
    });
    this.grantTable(connectFunction, 'dynamodb:PutItem');
    // A write whose outcome is unknown (a timeout, a lost answer) is undone before the connection is refused.
    this.grantTable(connectFunction, 'dynamodb:DeleteItem');
    if (limit !== undefined) {
      // Counting a user's connections reads the userIdIndex index, never the table.
      this.grantIndex(connectFunction, ConnectionAttributes.USER_ID_INDEX, 'dynamodb:Query');
    }
    return connectFunction;
  }

  /** The `$disconnect` integration: deletes the connection's row. */
  private createDisconnectFunction(): lambda.Function {
    const disconnectFunction = this.createHandler('Disconnect', HandlerAssets.DISCONNECT, {
      [HandlerEnvironment.TABLE_NAME]: this.table.tableName,
    });
    this.grantTable(disconnectFunction, 'dynamodb:DeleteItem');
    return disconnectFunction;
  }

  /** The default `$default` integration: echoes to the sender through @connections, with the runtime API as any sender. */
  private createEchoFunction(): lambda.Function {
    const echoFunction = this.createHandler('Echo', HandlerAssets.ECHO, this.connectionsEnvironment);
    this.grantPostToConnections(echoFunction);
    suppressNag(echoFunction.role!.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5',
      'Connection ids exist only at run time; the wildcard is limited to POST on the @connections of this API\'s stage.',
      [`Resource::${this.connectionsMethodArn('POST')}`]);
    // The echo closes a connection whose token expired.
    this.grantDeleteConnections(echoFunction);
    // The echo deletes the row of a connection the management API reports gone (410), or that it closed.
    this.grantTable(echoFunction, 'dynamodb:DeleteItem');
    return echoFunction;
  }

  /**
   * Every minute, closes the connections whose token expired: DeleteConnection on this stage, Query on
   * `expiryIndex`, DeleteItem on the table, and nothing else.
   */
  private createSweeper(): lambda.Function {
    const sweeper = this.createHandler('Sweeper', HandlerAssets.SWEEPER, this.connectionsEnvironment, {
      timeout: Duration.seconds(50), invokedBy: 'schedule',
    });
    this.grantDeleteConnections(sweeper);
    this.grantIndex(sweeper, ConnectionAttributes.EXPIRY_INDEX, 'dynamodb:Query');
    this.grantTable(sweeper, 'dynamodb:DeleteItem');
    const schedule = new events.Rule(this, 'SweeperSchedule', {
      description: `Closes WebSocket connections whose Cognito token expired, looking back ${SWEEP_WINDOW_MINUTES} minutes`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // No retry: the next run, a minute later, sweeps the same minutes again.
      targets: [new eventsTargets.LambdaFunction(sweeper, { retryAttempts: 0 })],
    });
    suppressNag(schedule, 'Serverless-EventBusDLQ',
      'The target\'s events are empty one-minute ticks: a tick EventBridge fails to deliver is made up for by the next, a minute ' +
      `later, which sweeps the last ${SWEEP_WINDOW_MINUTES} minutes again; a dead-letter queue would hold nothing to replay.`);
    return sweeper;
  }

  /** DeleteConnection (`DELETE @connections/{id}`) on this stage, and no other method. */
  private grantDeleteConnections(grantee: lambda.Function): void {
    this.grantConnectionsMethod(grantee, 'DELETE');
    suppressNag(grantee.role!.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5',
      'Connection ids exist only at run time; the wildcard is limited to DELETE on the @connections of this API\'s stage.',
      [`Resource::${this.connectionsMethodArn('DELETE')}`]);
  }

  private grantIndex(grantee: iam.IGrantable, indexName: string, action: string): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [action], resourceArns: [`${this.table.tableArn}/index/${indexName}`] });
  }

  /** A bundled handler from assets/<name>, with its own role and log group. */
  private createHandler(
    id: string, assetName: HandlerAssetName, environment: Record<string, string>, options: HandlerOptions = {},
  ): lambda.Function {
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${assetName} handler of a Cognito-authorized WebSocket API`,
    });
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Only these two actions: the log group exists, so the function never needs logs:CreateLogGroup.
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resourceArns: [logGroup.logGroupArn],
    });
    const fn = new lambda.Function(this, `${id}Function`, {
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', assetName)),
      handler: 'index.handler',
      runtime: this.settings.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: options.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      environment,
      tracing: this.settings.tracing,
    });
    this.answerHandlerNag(fn, role, options.invokedBy ?? 'api-gateway');
    return fn;
  }

  /** The cdk-nag findings on a bundled function that do not apply, each with why. */
  private answerHandlerNag(fn: lambda.Function, role: iam.Role, invokedBy: HandlerInvoker): void {
    suppressNag(fn, 'Serverless-LambdaDLQ', NO_DEAD_LETTER_QUEUE_REASONS[invokedBy]);
    if (this.settings.tracing !== lambda.Tracing.ACTIVE) {
      suppressNag(fn, 'Serverless-LambdaTracing',
        `X-Ray tracing is set to ${this.settings.tracing} on purpose: the tracing prop of CognitoAuthorizedWebSocketApi.`);
    }
    if (!isNewestNodeRuntime(this.settings.runtime)) {
      for (const rule of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
        suppressNag(fn, rule,
          `The runtime ${this.settings.runtime.name} is pinned on purpose: the runtime prop of CognitoAuthorizedWebSocketApi.`);
      }
    }
    if (this.settings.tracing === lambda.Tracing.ACTIVE) {
      suppressNag(role.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5',
        'X-Ray\'s PutTraceSegments and PutTelemetryRecords support no resource-level permissions: AWS documents Resource "*" for them.',
        ['Resource::*']);
    }
  }

  private grantTable(grantee: iam.IGrantable, action: string): iam.Grant {
    // Exactly the table: `table.grant` would add the indexes too, which these writes never touch.
    return iam.Grant.addToPrincipal({ grantee, actions: [action], resourceArns: [this.table.tableArn] });
  }

  /** `Query` on the `userIdIndex` index alone: a user's connections, never a query of the table itself. */
  private grantQueryUserIdIndex(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: [this.userIdIndexArn] });
  }

  /** `execute-api:ManageConnections` for one HTTP method of this stage's `@connections`. */
  private grantConnectionsMethod(grantee: iam.IGrantable, method: 'POST' | 'DELETE'): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['execute-api:ManageConnections'], resourceArns: [this.connectionsMethodArn(method)] });
  }

  private get userIdIndexArn(): string {
    return `${this.table.tableArn}/index/${ConnectionAttributes.USER_ID_INDEX}`;
  }

  /** What `WebSocketConnections.fromEnvironment()` of the runtime API reads. */
  private get connectionsEnvironment(): Record<string, string> {
    return {
      [ConnectionsEnvironment.TABLE_NAME]: this.table.tableName,
      [ConnectionsEnvironment.CALLBACK_URL]: this.callbackUrl,
    };
  }

  /** `$connect` behind the Cognito authorizer, `$disconnect` and `$default`. */
  private addLifecycleRoutes(tokenSource: TokenSource): void {
    const authorizer = new WebSocketLambdaAuthorizer('Authorizer', this.authorizerFunction, {
      identitySource: [tokenSource.identitySource],
    });
    this.webSocketApi.addRoute('$connect', {
      integration: new WebSocketLambdaIntegration('ConnectIntegration', this.connectFunction),
      authorizer,
    });
    const disconnectRoute = this.webSocketApi.addRoute('$disconnect', {
      integration: new WebSocketLambdaIntegration('DisconnectIntegration', this.disconnectFunction),
    });
    const defaultRoute = this.webSocketApi.addRoute('$default', {
      integration: new WebSocketLambdaIntegration('DefaultIntegration', this.defaultRouteFunction),
    });
    suppressRouteAuthorizationNag(disconnectRoute);
    suppressRouteAuthorizationNag(defaultRoute);
  }

  /** A log group the stage writes its access log to. */
  private createAccessLogGroup(): logs.ILogGroup {
    const accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // WebSocketStage has no access log setting at the aws-cdk-lib floor (2.168.0): set it on the CloudFormation stage.
    this.cfnStage.accessLogSettings = { destinationArn: accessLogGroup.logGroupArn, format: ACCESS_LOG_FORMAT };
    return accessLogGroup;
  }

  /**
   * The account's API Gateway logging role, which a stage needs before it can write access logs.
   * One per stack, shared by every instance in it: two `AWS::ApiGateway::Account` resources would
   * overwrite each other.
   */
  private setAccountLoggingRole(): void {
    const stack = Stack.of(this);
    const singletonId = 'CognitoAuthorizedWebSocketApiAccountLogging';
    let setting = stack.node.tryFindChild(singletonId) as Construct | undefined;
    if (!setting) {
      setting = new Construct(stack, singletonId);
      const role = new iam.Role(setting, 'CloudWatchRole', {
        assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
      });
      // Other APIs of the account may rely on the role after this stack is gone, as with aws-apigateway's RestApi.
      role.applyRemovalPolicy(RemovalPolicy.RETAIN);
      suppressNag(role, 'AwsSolutions-IAM4',
        'AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for the account-wide API Gateway logging role; ' +
        'it must cover every log group of every API of the account.',
        ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']);
      const account = new CfnAccount(setting, 'Account', { cloudWatchRoleArn: role.roleArn });
      account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    this.cfnStage.node.addDependency(setting.node.findChild('Account'));
  }

  /**
   * Tells tools that serve the synthesized app (the local runtime) which API, authorizer, pool and clients
   * belong together, and how tokens are checked: cloud assembly metadata of this construct, which lands in
   * the stack's entry of `manifest.json` with references resolved, never in the template.
   */
  private describeApi(settings: Settings): void {
    const description: ApiDescription<string> = {
      version: 1,
      webSocketApi: this.webSocketApi.apiId,
      authorizerFunction: this.authorizerFunction.functionName,
      userPool: this.userPool.userPoolId,
      userPoolClients: this.userPoolClients.map((client) => client.userPoolClientId),
      // TokenUse and TokenSource hold only wire-contract values; their public type is string because jsii has no literal types.
      tokenUse: settings.tokenUse.value as TokenUseValue,
      tokenSource: { kind: settings.tokenSource.kind as TokenSourceKind, name: settings.tokenSource.name },
      requiredGroups: [...settings.requiredGroups],
    };
    this.node.addMetadata(API_DESCRIPTION_METADATA_TYPE, description);
  }

  /** `<api>/<stage>/<method>/@connections/*`: one method of this stage's management API, for any connection. */
  private connectionsMethodArn(method: 'POST' | 'DELETE'): string {
    return Stack.of(this).formatArn({
      service: 'execute-api',
      resource: this.webSocketApi.apiId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      resourceName: `${this.stage.stageName}/${method}/@connections/*`,
    });
  }

  private get cfnStage(): apigwv2.CfnStage {
    return this.stage.node.defaultChild as apigwv2.CfnStage;
  }
}

/** The props with their defaults, each checked; throws on the first that is not valid. */
function settingsOf(props: CognitoAuthorizedWebSocketApiProps): Settings {
  const stageName = props.stageName ?? 'prod';
  validateStageName(stageName);
  const connectionTtl = props.connectionTtl ?? Duration.seconds(DEFAULT_CONNECTION_TTL_SECONDS);
  validateConnectionTtl(connectionTtl);
  validateRequiredGroups(props.requiredGroups);
  const tokenUse = props.tokenUse ?? TokenUse.ID;
  validateRequiredScopes(props.requiredScopes, tokenUse.value);
  validateMaxConnectionsPerUser(props.maxConnectionsPerUser);
  // A limit left out keeps its default: an unset limit would leave only the account's.
  const throttle = {
    rateLimit: props.throttle?.rateLimit ?? DEFAULT_THROTTLE.rateLimit,
    burstLimit: props.throttle?.burstLimit ?? DEFAULT_THROTTLE.burstLimit,
  };
  validateThrottle(throttle);
  const accessLogging = props.accessLogging ?? true;
  const runtime = props.runtime ?? newestNodeRuntime();
  validateHandlerRuntime(runtime);
  return {
    stageName,
    connectionTtl,
    requiredGroups: props.requiredGroups ?? [],
    requiredScopes: props.requiredScopes ?? [],
    throttle,
    tokenUse,
    tokenSource: props.tokenSource ?? TokenSource.queryString(),
    removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    accessLogging,
    cloudWatchRole: props.cloudWatchRole ?? accessLogging,
    closeExpiredConnections: props.closeExpiredConnections ?? true,
    maxConnectionsPerUser: props.maxConnectionsPerUser,
    runtime,
    tracing: props.tracing ?? lambda.Tracing.ACTIVE,
  };
}

function joinIds(clients: cognito.IUserPoolClient[]): string {
  return clients.map((client) => client.userPoolClientId).join(',');
}
