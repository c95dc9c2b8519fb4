/**
 * Figure 5's app built the AWS sample's way: the same resources as the construct's, each handler a `NodejsFunction`
 * that esbuild bundles from its TypeScript source while the app synthesizes (local esbuild, no Docker).
 *
 * BENCH_REPO_ROOT names the repository whose lambda/ sources, package-lock.json and node_modules the bundling uses.
 */
import * as path from 'node:path';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

const repoRoot = process.env.BENCH_REPO_ROOT!;
const app = new App();
const stack = new Stack(app, 'BackendStack');

const userPool = new cognito.UserPool(stack, 'UserPool', {
  selfSignUpEnabled: true,
  signInAliases: { username: true, email: true },
  autoVerify: { email: true },
  removalPolicy: RemovalPolicy.DESTROY,
});
const client = userPool.addClient('WebClient', { authFlows: { userPassword: true, userSrp: true } });
const table = new dynamodb.Table(stack, 'ConnectionsTable', {
  partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  timeToLiveAttribute: 'removedAt',
  removalPolicy: RemovalPolicy.DESTROY,
});
table.addGlobalSecondaryIndex({ indexName: 'userIdIndex', partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING } });

const handler = (id: string, name: string, environment: Record<string, string>) => new nodejs.NodejsFunction(stack, id, {
  entry: path.join(repoRoot, 'lambda', name, 'index.ts'),
  projectRoot: repoRoot,
  depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  timeout: Duration.seconds(10),
  environment,
});
const authorizer = handler('AuthHandler', 'authorizer', {
  USER_POOL_ID: userPool.userPoolId,
  CLIENT_IDS: client.userPoolClientId,
  TOKEN_USE: 'id',
  TOKEN_SOURCE_KIND: 'querystring',
  TOKEN_SOURCE_NAME: 'idToken',
  REQUIRED_GROUPS: '',
});
const connect = handler('ConnectHandler', 'connect', { TABLE_NAME: table.tableName });
const disconnect = handler('DisconnectHandler', 'disconnect', { TABLE_NAME: table.tableName });
const echo = handler('EchoHandler', 'echo', { TABLE_NAME: table.tableName });
table.grant(connect, 'dynamodb:PutItem');
table.grant(disconnect, 'dynamodb:DeleteItem');
table.grant(echo, 'dynamodb:DeleteItem');

const api = new apigwv2.WebSocketApi(stack, 'Api', {
  connectRouteOptions: {
    integration: new WebSocketLambdaIntegration('ConnectIntegration', connect),
    authorizer: new WebSocketLambdaAuthorizer('Authorizer', authorizer, { identitySource: ['route.request.querystring.idToken'] }),
  },
  disconnectRouteOptions: { integration: new WebSocketLambdaIntegration('DisconnectIntegration', disconnect) },
  defaultRouteOptions: { integration: new WebSocketLambdaIntegration('DefaultIntegration', echo) },
});
const stage = new apigwv2.WebSocketStage(stack, 'Stage', { webSocketApi: api, stageName: 'prod', autoDeploy: true });
echo.addEnvironment('CALLBACK_URL', stage.callbackUrl);
stage.grantManagementApiAccess(echo);
new CfnOutput(stack, 'webSocketEndpoint', { value: stage.url });
app.synth();
