import * as path from 'path';
import { CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { TokenSource } from './token-source';
import { TokenUse } from './token-use';
import { ConnectionAttributes, DEFAULT_CONNECTION_TTL_SECONDS, HandlerAssetName, HandlerAssets, HandlerEnvironment } from './wire-contract';

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
   * Request rate and burst limits of every route of the stage (its default route settings),
   * per second, for connects and messages together.
   *
   * A limit left out of `throttle` keeps its default.
   *
   * @default - rate 500 requests per second, burst 1,000 (the account limit is 10,000 and 5,000:
   * one API cannot take all of it)
   */
  readonly throttle?: apigwv2.ThrottleSettings;
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
/** API Gateway closes every WebSocket connection after 2 hours. */
const LONGEST_CONNECTION = Duration.hours(2);
const LONGEST_CONNECTION_TTL = Duration.days(7);
/** API Gateway v2 stage names: letters, digits, hyphens and underscores, at most 128. */
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** Cognito group names are at most 128 characters; a comma would split the `REQUIRED_GROUPS` list. */
const GROUP_NAME_MAX_LENGTH = 128;
/** Routes the construct owns; a user's handler goes on `$default` through `defaultRouteHandler`. */
const RESERVED_ROUTES = ['$connect', '$disconnect', '$default'];

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

  private readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: CognitoAuthorizedWebSocketApiProps = {}) {
    super(scope, id);

    const stageName = props.stageName ?? 'prod';
    validateStageName(stageName);
    const connectionTtl = props.connectionTtl ?? Duration.seconds(DEFAULT_CONNECTION_TTL_SECONDS);
    validateConnectionTtl(connectionTtl);
    const requiredGroups = props.requiredGroups ?? [];
    validateRequiredGroups(props.requiredGroups);
    // A limit left out keeps its default: an unset limit would leave only the account's.
    const throttle = {
      rateLimit: props.throttle?.rateLimit ?? DEFAULT_THROTTLE.rateLimit,
      burstLimit: props.throttle?.burstLimit ?? DEFAULT_THROTTLE.burstLimit,
    };
    validateThrottle(throttle);
    const tokenUse = props.tokenUse ?? TokenUse.ID;
    const tokenSource = props.tokenSource ?? TokenSource.queryString();
    const accessLogging = props.accessLogging ?? true;
    const cloudWatchRole = props.cloudWatchRole ?? accessLogging;

    this.userPool = props.userPool ?? this.createUserPool();
    if (props.userPoolClients !== undefined) {
      validateUserPoolClients(this, this.userPool, props.userPoolClients);
      this.userPoolClients = [...props.userPoolClients];
    } else {
      this.userPoolClient = this.userPool.addClient('UserPoolClient', {
        generateSecret: false,
        authFlows: { userSrp: true, userPassword: true },
        // Refresh tokens are always issued; the sample's web client renews its ID token with them.
        enableTokenRevocation: true,
        // The sample's web client signs in with SRP or a password; no hosted UI, so no OAuth flows to abuse.
        disableOAuth: true,
        preventUserExistenceErrors: true,
      });
      this.userPoolClients = [this.userPoolClient];
    }

    this.table = new dynamodb.Table(this, 'ConnectionsTable', {
      partitionKey: { name: ConnectionAttributes.CONNECTION_ID, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: ConnectionAttributes.REMOVED_AT,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: ConnectionAttributes.USER_ID_INDEX,
      partitionKey: { name: ConnectionAttributes.USER_ID, type: dynamodb.AttributeType.STRING },
    });
    suppressNag(this.table, 'AwsSolutions-DDB3',
      'Rows describe live WebSocket connections only; after a restore they would name connections that no longer exist, so point-in-time recovery has nothing to recover.');
    this.connectionsTable = this.table;

    this.webSocketApi = new apigwv2.WebSocketApi(this, 'Api', {
      description: 'WebSocket API open to signed-in Cognito users',
      routeSelectionExpression: '$request.body.action',
    });
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.webSocketApi,
      stageName,
      autoDeploy: true,
    });
    this.url = this.stage.url;
    this.callbackUrl = this.stage.callbackUrl;

    const authorizerFunction = this.createHandler('Authorizer', HandlerAssets.AUTHORIZER, {
      [HandlerEnvironment.USER_POOL_ID]: this.userPool.userPoolId,
      [HandlerEnvironment.CLIENT_IDS]: joinIds(this.userPoolClients),
      [HandlerEnvironment.TOKEN_USE]: tokenUse.value,
      [HandlerEnvironment.TOKEN_SOURCE_KIND]: tokenSource.kind,
      [HandlerEnvironment.TOKEN_SOURCE_NAME]: tokenSource.name,
      [HandlerEnvironment.REQUIRED_GROUPS]: requiredGroups.join(','),
    }, Duration.seconds(5));
    const connectFunction = this.createHandler('Connect', HandlerAssets.CONNECT, {
      [HandlerEnvironment.TABLE_NAME]: this.table.tableName,
      [HandlerEnvironment.CONNECTION_TTL_SECONDS]: String(connectionTtl.toSeconds()),
      [HandlerEnvironment.TOKEN_SOURCE_KIND]: tokenSource.kind,
    });
    this.grantTable(connectFunction, 'dynamodb:PutItem');
    const disconnectFunction = this.createHandler('Disconnect', HandlerAssets.DISCONNECT, {
      [HandlerEnvironment.TABLE_NAME]: this.table.tableName,
    });
    this.grantTable(disconnectFunction, 'dynamodb:DeleteItem');
    this.authorizerFunction = authorizerFunction;
    this.connectFunction = connectFunction;
    this.disconnectFunction = disconnectFunction;

    if (props.defaultRouteHandler) {
      this.defaultRouteFunction = props.defaultRouteHandler;
    } else {
      const echoFunction = this.createHandler('Echo', HandlerAssets.ECHO, {
        [HandlerEnvironment.TABLE_NAME]: this.table.tableName,
        [HandlerEnvironment.CALLBACK_URL]: this.callbackUrl,
      });
      this.grantManageConnections(echoFunction);
      suppressNag(echoFunction.role!.node.findChild('DefaultPolicy'), 'AwsSolutions-IAM5',
        'Connection ids exist only at run time; the wildcard is limited to the @connections of this API\'s stage.',
        [{ regex: '/^Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<[A-Za-z0-9]+>\\/[^/*]+\\/\\*\\/@connections\\/\\*$/g' }]);
      // The echo deletes the row of a connection the management API reports gone (410).
      this.grantTable(echoFunction, 'dynamodb:DeleteItem');
      this.defaultRouteFunction = echoFunction;
    }

    const authorizer = new WebSocketLambdaAuthorizer('Authorizer', authorizerFunction, {
      identitySource: [tokenSource.identitySource],
    });
    this.webSocketApi.addRoute('$connect', {
      integration: new WebSocketLambdaIntegration('ConnectIntegration', connectFunction),
      authorizer,
    });
    const disconnectRoute = this.webSocketApi.addRoute('$disconnect', {
      integration: new WebSocketLambdaIntegration('DisconnectIntegration', disconnectFunction),
    });
    const defaultRoute = this.webSocketApi.addRoute('$default', {
      integration: new WebSocketLambdaIntegration('DefaultIntegration', this.defaultRouteFunction),
    });
    suppressRouteAuthorizationNag(disconnectRoute);
    suppressRouteAuthorizationNag(defaultRoute);

    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.defaultRouteSettings = {
      throttlingRateLimit: throttle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit,
    };
    if (accessLogging) {
      const accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      cfnStage.accessLogSettings = { destinationArn: accessLogGroup.logGroupArn, format: ACCESS_LOG_FORMAT };
      this.accessLogGroup = accessLogGroup;
    }
    if (cloudWatchRole) {
      this.createCloudWatchRole(cfnStage);
    }
  }

  /**
   * Routes messages whose `action` is `routeKey` to `handler`, which receives the authorizer
   * context (`userId`, `username`, `groups`, `tokenUse`, `exp`) in `requestContext.authorizer`.
   *
   * @param routeKey the value of the message's `action` property
   * @param handler the function that handles the message
   */
  public addRoute(routeKey: string, handler: lambda.IFunction, options: AddCognitoAuthorizedRouteOptions = {}): apigwv2.WebSocketRoute {
    if (RESERVED_ROUTES.includes(routeKey)) {
      throw new Error(
        `addRoute('${routeKey}'): the construct owns ${RESERVED_ROUTES.join(', ')}; ` +
        'pass your $default handler as the defaultRouteHandler prop, and route other actions by their own key',
      );
    }
    if (routeKey.trim() === '' || routeKey.startsWith('$')) {
      throw new Error(`addRoute('${routeKey}'): a route key must be the non-empty value of the message's action, not starting with $`);
    }
    const id = `${routeKey}-Route`;
    if (this.webSocketApi.node.tryFindChild(id)) {
      throw new Error(`addRoute('${routeKey}'): a route with this key already exists on this API`);
    }
    const route = this.webSocketApi.addRoute(routeKey, {
      integration: new WebSocketLambdaIntegration(`${routeKey}Integration`, handler),
      returnResponse: options.returnResponse,
    });
    suppressRouteAuthorizationNag(route);
    return route;
  }

  /**
   * Lets `grantee` send to, inspect and close connections through this stage's @connections
   * management API (`callbackUrl`), and nothing else of the API.
   */
  public grantManageConnections(grantee: iam.IGrantable): iam.Grant {
    return this.stage.grantManagementApiAccess(grantee);
  }

  /**
   * Lets `grantee` read the connections table: `GetItem` a connection, `Query` a user's connections
   * on the `userIdIndex` index.
   */
  public grantReadConnections(grantee: iam.IGrantable): iam.Grant {
    const userIdIndexArn = `${this.table.tableArn}/index/${ConnectionAttributes.USER_ID_INDEX}`;
    return iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem'], resourceArns: [this.table.tableArn] })
      .combine(iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: [this.table.tableArn, userIdIndexArn] }));
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
    suppressNag(userPool, 'AwsSolutions-COG3',
      'Advanced security (threat protection) needs the paid Cognito Plus plan; pass your own userPool to enforce it.');
    suppressNag(userPool, 'AwsSolutions-COG8',
      'Advanced security (threat protection) needs the paid Cognito Plus plan; pass your own userPool to enforce it.');
    return userPool;
  }

  /** A bundled handler from assets/<name>, with its own role and log group. */
  private createHandler(
    id: string, assetName: HandlerAssetName, environment: Record<string, string>, timeout = Duration.seconds(10),
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
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      role,
      logGroup,
      environment,
    });
    return fn;
  }

  private grantTable(grantee: iam.IGrantable, action: string): iam.Grant {
    // Exactly the table: `table.grant` would add the indexes too, which these writes never touch.
    return iam.Grant.addToPrincipal({ grantee, actions: [action], resourceArns: [this.table.tableArn] });
  }

  /**
   * The account's API Gateway logging role, which a stage needs before it can write access logs.
   * One per stack, shared by every instance in it: two `AWS::ApiGateway::Account` resources would
   * overwrite each other.
   */
  private createCloudWatchRole(cfnStage: apigwv2.CfnStage): void {
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
    cfnStage.addDependency(setting.node.findChild('Account') as CfnAccount);
  }
}

function joinIds(clients: cognito.IUserPoolClient[]): string {
  return clients.map((client) => client.userPoolClientId).join(',');
}

function validateStageName(stageName: string): void {
  if (!Token.isUnresolved(stageName) && !STAGE_NAME.test(stageName)) {
    throw new Error(`stageName '${stageName}' is not valid: use 1 to 128 letters, digits, hyphens or underscores, e.g. 'prod'`);
  }
}

function validateConnectionTtl(ttl: Duration): void {
  if (ttl.isUnresolved()) {
    throw new Error('connectionTtl must be a literal duration, e.g. Duration.hours(3): the handlers need its number of seconds');
  }
  const seconds = ttl.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < LONGEST_CONNECTION.toSeconds() || seconds > LONGEST_CONNECTION_TTL.toSeconds()) {
    throw new Error(
      `connectionTtl is ${ttl.toHumanString()}: use whole seconds from 2 hours (API Gateway's longest connection, ` +
      'so the row of a live connection never expires) to 7 days, e.g. Duration.hours(3)',
    );
  }
}

function validateRequiredGroups(groups: string[] | undefined): void {
  if (groups === undefined) return;
  if (groups.length === 0) {
    throw new Error('requiredGroups is empty, which would admit nobody: list at least one group, or omit requiredGroups to admit every user');
  }
  for (const group of groups) {
    if (group.trim() === '' || group !== group.trim() || group.includes(',') || group.length > GROUP_NAME_MAX_LENGTH) {
      throw new Error(
        `requiredGroups entry '${group}' is not a Cognito group name: use 1 to ${GROUP_NAME_MAX_LENGTH} characters ` +
        'without commas or surrounding whitespace',
      );
    }
  }
}

function validateThrottle(throttle: apigwv2.ThrottleSettings): void {
  const { rateLimit, burstLimit } = throttle;
  if (rateLimit !== undefined && !Token.isUnresolved(rateLimit) && !(rateLimit > 0)) {
    throw new Error(`throttle.rateLimit is ${rateLimit}: use a number of requests per second above 0`);
  }
  if (burstLimit !== undefined && !Token.isUnresolved(burstLimit) && !(Number.isInteger(burstLimit) && burstLimit > 0)) {
    throw new Error(`throttle.burstLimit is ${burstLimit}: use a whole number of requests above 0`);
  }
}

/** Throws when a client is checkably of another pool (both ids resolvable in this stack). */
function validateUserPoolClients(scope: IConstruct, userPool: cognito.IUserPool, clients: cognito.IUserPoolClient[]): void {
  if (clients.length === 0) {
    throw new Error('userPoolClients is empty, which would admit nobody: list at least one app client, or omit it to have one created');
  }
  const stack = Stack.of(scope);
  const poolId = JSON.stringify(stack.resolve(userPool.userPoolId));
  for (const client of clients) {
    const cfnClient = client.node.defaultChild;
    if (cfnClient instanceof cognito.CfnUserPoolClient) {
      const clientPoolId = JSON.stringify(Stack.of(cfnClient).resolve(cfnClient.userPoolId));
      if (Stack.of(cfnClient) === stack && clientPoolId !== poolId) {
        throw new Error(
          `userPoolClients: app client '${client.node.path}' belongs to another user pool than userPool; ` +
          'pass clients created on userPool (userPool.addClient(...))',
        );
      }
    }
  }
}

/** Adds a cdk-nag suppression as metadata, the format cdk-nag reads, so the construct need not depend on cdk-nag. */
function suppressNag(construct: IConstruct, id: string, reason: string, appliesTo?: Array<string | { regex: string }>): void {
  const resource = (construct.node.defaultChild ?? construct) as CfnResource;
  const existing = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [...existing, { id, reason, ...(appliesTo ? { applies_to: appliesTo } : {}) }],
  });
}

/** API Gateway runs a WebSocket API's authorizer on `$connect` only; every other route inherits that connection's identity. */
function suppressRouteAuthorizationNag(route: apigwv2.WebSocketRoute): void {
  suppressNag(route.node.findChild('Resource'), 'AwsSolutions-APIG4',
    'A WebSocket API authorizes only on $connect; this route runs on a connection that the Cognito authorizer already admitted.');
}
