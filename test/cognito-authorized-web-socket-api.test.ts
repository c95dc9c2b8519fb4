import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CognitoAuthorizedWebSocketApi, CognitoAuthorizedWebSocketApiProps, TokenSource, TokenUse } from '../src';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack');
}

function synth(props?: CognitoAuthorizedWebSocketApiProps): { stack: Stack; api: CognitoAuthorizedWebSocketApi; template: Template } {
  const stack = newStack();
  const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', props);
  return { stack, api, template: Template.fromStack(stack) };
}

function inlineFunction(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, {
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
  });
}

function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as any);
}

/** The statements of every IAM policy attached to the role of `functionLogicalId`, in order. */
function roleStatements(template: Template, functionLogicalId: string): unknown[] {
  const fn = template.toJSON().Resources[functionLogicalId];
  const roleLogicalId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy: any) =>
    policy.Properties.Roles.some((role: any) => role.Ref === roleLogicalId));
  return policies.flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

function roleOf(template: Template, functionLogicalId: string): any {
  const fn = template.toJSON().Resources[functionLogicalId];
  return template.toJSON().Resources[fn.Properties.Role['Fn::GetAtt'][0]];
}

const tableArn = (tableId: string) => ({ 'Fn::GetAtt': [tableId, 'Arn'] });
const logGroupArn = (fnId: string, template: Template) => {
  const logGroupId = template.toJSON().Resources[fnId].Properties.LoggingConfig.LogGroup.Ref;
  return { 'Fn::GetAtt': [logGroupId, 'Arn'] };
};
const writeLogs = (fnId: string, template: Template) => ({
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Effect: 'Allow',
  Resource: logGroupArn(fnId, template),
});
/** What Lambda's active X-Ray tracing adds to a function's role: X-Ray has no resource-level permissions. */
const writeTraces = { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' };

/** The newest Node.js runtime the installed aws-cdk-lib lists, by version number. */
const NEWEST_NODE_RUNTIME = lambda.Runtime.ALL.map((runtime) => runtime.name)
  .filter((name) => /^nodejs\d+\.x$/.test(name))
  .sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10))
  .pop();

/** ManageConnections on `<api>/<stage>/<method>/@connections/*`: method `*` is POST, GET and DELETE. */
const manageConnectionsOnStage = (apiId: string, stageName: string, method = '*') => ({
  Action: 'execute-api:ManageConnections',
  Effect: 'Allow',
  Resource: {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':',
      { Ref: apiId }, `/${stageName}/${method}/@connections/*`,
    ]],
  },
});

describe('the AWS sample\'s behaviour (sign-up pool, web client, authorizer on $connect, connections table, echo), with no props', () => {
  const { stack, api, template } = synth();
  const ids = {
    api: logicalIdOf(stack, api.webSocketApi),
    table: logicalIdOf(stack, api.connectionsTable),
    userPool: logicalIdOf(stack, api.userPool),
    client: logicalIdOf(stack, api.userPoolClient!),
    authorizer: logicalIdOf(stack, api.authorizerFunction),
    connect: logicalIdOf(stack, api.connectFunction),
    disconnect: logicalIdOf(stack, api.disconnectFunction),
    echo: logicalIdOf(stack, api.defaultRouteFunction),
  };

  test('a WebSocket API that selects routes on the body\'s action', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
  });

  test.each([
    ['$connect', 'connect'],
    ['$disconnect', 'disconnect'],
    ['$default', 'echo'],
  ] as const)('route %s is an AWS_PROXY integration of the %s function', (routeKey, fn) => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } });
    expect(Object.keys(routes)).toHaveLength(1);
    const route: any = Object.values(routes)[0];
    const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref;
    const integration = template.toJSON().Resources[integrationId];
    expect(integration.Properties.IntegrationType).toBe('AWS_PROXY');
    expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(`"${ids[fn]}"`);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [ids[fn], 'Arn'] },
    });
  });

  test('the Lambda REQUEST authorizer guards $connect only, with the idToken query string as identity source', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: { Ref: ids.api },
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.idToken'],
      AuthorizerUri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [ids.authorizer, 'Arn'] }])] }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', AuthorizationType: 'CUSTOM' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$disconnect', AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'NONE' });
  });

  test('the authorizer verifies ID tokens of the pool and client from the query string, no group required', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          USER_POOL_ID: { Ref: ids.userPool },
          CLIENT_IDS: { Ref: ids.client },
          TOKEN_USE: 'id',
          TOKEN_SOURCE_KIND: 'querystring',
          TOKEN_SOURCE_NAME: 'idToken',
          REQUIRED_GROUPS: '',
        },
      },
      Timeout: 5,
    });
  });

  test('stage prod, auto-deployed, exposed as wss url and https callback url', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { ApiId: { Ref: ids.api }, StageName: 'prod', AutoDeploy: true });
    expect(stack.resolve(api.url)).toEqual({
      'Fn::Join': ['', ['wss://', { Ref: ids.api }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod']],
    });
    expect(stack.resolve(api.callbackUrl)).toEqual({
      'Fn::Join': ['', ['https://', { Ref: ids.api }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod']],
    });
  });

  test('the connections table: key connectionId, GSI userIdIndex on userId, TTL removedAt, on demand, destroyed with the stack', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
        AttributeDefinitions: Match.arrayEquals([
          { AttributeName: 'connectionId', AttributeType: 'S' },
          { AttributeName: 'userId', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: [{
          IndexName: 'userIdIndex',
          KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        }],
        TimeToLiveSpecification: { AttributeName: 'removedAt', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  test('connect writes removedAt 3 hours after connect; every handler knows the table', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { TABLE_NAME: { Ref: ids.table }, CONNECTION_TTL_SECONDS: '10800', TOKEN_SOURCE_KIND: 'querystring' } },
    });
    const env = (id: string) => template.toJSON().Resources[id].Properties.Environment.Variables;
    expect(env(ids.disconnect)).toEqual({ TABLE_NAME: { Ref: ids.table } });
    expect(env(ids.echo)).toEqual({ WEBSOCKET_CONNECTIONS_TABLE: { Ref: ids.table }, WEBSOCKET_CALLBACK_URL: stack.resolve(api.callbackUrl) });
  });

  test('every handler is the bundled asset, on the newest Node.js runtime aws-cdk-lib knows, arm64, traced, with its own log group kept a month', () => {
    expect(NEWEST_NODE_RUNTIME).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    for (const id of [ids.authorizer, ids.connect, ids.disconnect, ids.echo]) {
      const fn = template.toJSON().Resources[id];
      expect(fn.Properties).toMatchObject({
        Handler: 'index.handler', Runtime: NEWEST_NODE_RUNTIME, Architectures: ['arm64'], TracingConfig: { Mode: 'Active' },
      });
      expect(fn.Properties.Timeout).toBeLessThanOrEqual(10);
      const logGroup = template.toJSON().Resources[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    }
    const roles = new Set([ids.authorizer, ids.connect, ids.disconnect, ids.echo]
      .map((id) => JSON.stringify(template.toJSON().Resources[id].Properties.Role)));
    expect(roles.size).toBe(4);
  });

  test('the user pool: self sign-up, email alias auto-verified, destroyed with the stack', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        AliasAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
      }),
      DeletionPolicy: 'Delete',
    });
  });

  test('one public web client: no secret, SRP, password and refresh-token flows, no OAuth', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: ids.userPool },
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayEquals(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      AllowedOAuthFlowsUserPoolClient: false,
    });
  });

  describe('each role holds exactly what its handler uses', () => {
    test('authorizer: write its own logs, nothing else', () => {
      expect(roleStatements(template, ids.authorizer)).toEqual([writeLogs(ids.authorizer, template), writeTraces]);
    });
    test('connect: its logs, PutItem and DeleteItem (its own row, when the write\'s outcome is unknown) on the table only', () => {
      expect(roleStatements(template, ids.connect)).toEqual([
        writeLogs(ids.connect, template),
        writeTraces,
        { Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: tableArn(ids.table) },
        { Action: 'dynamodb:DeleteItem', Effect: 'Allow', Resource: tableArn(ids.table) },
      ]);
    });
    test('disconnect: its logs, DeleteItem on the table only', () => {
      expect(roleStatements(template, ids.disconnect)).toEqual([
        writeLogs(ids.disconnect, template),
        writeTraces,
        { Action: 'dynamodb:DeleteItem', Effect: 'Allow', Resource: tableArn(ids.table) },
      ]);
    });
    test('echo: its logs, POST only on this stage\'s @connections (never GET or DELETE of a connection), DeleteItem on the table', () => {
      expect(roleStatements(template, ids.echo)).toEqual([
        writeLogs(ids.echo, template),
        writeTraces,
        manageConnectionsOnStage(ids.api, 'prod', 'POST'),
        { Action: 'dynamodb:DeleteItem', Effect: 'Allow', Resource: tableArn(ids.table) },
      ]);
    });
    test('no handler role carries a managed policy, and only Lambda may assume them', () => {
      for (const id of [ids.authorizer, ids.connect, ids.disconnect, ids.echo]) {
        const role = roleOf(template, id);
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
        expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ]);
      }
    });
  });

  test('the stage throttles every route at 500 requests per second, burst 1000', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
    });
  });

  test('the stage writes a JSON access log line with ids, outcome and errors, never the query string or a header', () => {
    const stage: any = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const settings = stage.Properties.AccessLogSettings;
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, api.accessLogGroup!), 'Arn'] });
    const format = JSON.parse(settings.Format);
    expect(format).toEqual({
      requestId: '$context.requestId',
      connectionId: '$context.connectionId',
      eventType: '$context.eventType',
      routeKey: '$context.routeKey',
      status: '$context.status',
      error: '$context.error.message',
      authorizerError: '$context.authorizer.error',
      integrationError: '$context.integration.error',
    });
    expect(settings.Format).not.toMatch(/querystring|header|\$input|\$request/i);
  });

  test('the account\'s API Gateway logging role is set, retained, and the stage waits for it', () => {
    template.hasResource('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }),
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']] }],
      },
      DeletionPolicy: 'Retain',
    });
    const accounts = template.findResources('AWS::ApiGateway::Account');
    expect(Object.keys(accounts)).toHaveLength(1);
    const stage: any = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(stage.DependsOn).toEqual(expect.arrayContaining(Object.keys(accounts)));
  });
});

describe('props', () => {
  test('tokenUse ACCESS and a renamed query string parameter reach the authorizer and the identity source', () => {
    const { template } = synth({ tokenUse: TokenUse.ACCESS, tokenSource: TokenSource.queryString('token') });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { IdentitySource: ['route.request.querystring.token'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TOKEN_USE: 'access', TOKEN_SOURCE_KIND: 'querystring', TOKEN_SOURCE_NAME: 'token' }) },
    });
  });

  test('requiredGroups reach the authorizer comma-joined', () => {
    const { template } = synth({ requiredGroups: ['admins', 'operators'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ REQUIRED_GROUPS: 'admins,operators' }) },
    });
  });

  test('stageName, connectionTtl, removalPolicy and throttle are applied', () => {
    const { stack, api, template } = synth({
      stageName: 'live',
      connectionTtl: Duration.hours(4),
      removalPolicy: RemovalPolicy.RETAIN,
      throttle: { rateLimit: 50, burstLimit: 20 },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'live',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 20 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CONNECTION_TTL_SECONDS: '14400' }) },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(JSON.stringify(stack.resolve(api.url))).toContain('/live');
    expect(roleStatements(template, logicalIdOf(stack, api.defaultRouteFunction))).toContainEqual(
      manageConnectionsOnStage(logicalIdOf(stack, api.webSocketApi), 'live', 'POST'));
  });

  test('a throttle limit left out keeps its default', () => {
    const { template } = synth({ throttle: { rateLimit: 50 } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 1000 },
    });
  });

  test('accessLogging false: no access log settings, no log group for them, no account logging role', () => {
    const { api, template } = synth({ accessLogging: false });
    const stage: any = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(stage.Properties.AccessLogSettings).toBeUndefined();
    expect(api.accessLogGroup).toBeUndefined();
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 4);
  });

  test('two instances in one stack share one account logging setting, and both stages wait for it', () => {
    const stack = newStack();
    new CognitoAuthorizedWebSocketApi(stack, 'Chat');
    new CognitoAuthorizedWebSocketApi(stack, 'Notifications');
    const template = Template.fromStack(stack);
    const accounts = Object.keys(template.findResources('AWS::ApiGateway::Account'));
    expect(accounts).toHaveLength(1);
    const stages = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(2);
    for (const stage of stages) {
      expect(stage.DependsOn).toEqual(expect.arrayContaining(accounts));
    }
  });

  test('cloudWatchRole false keeps access logging but leaves the account setting alone', () => {
    const { template } = synth({ cloudWatchRole: false });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: Match.objectLike({ Format: Match.anyValue() }) });
  });

  test('defaultRouteHandler replaces the echo on $default; no echo function or its role is created', () => {
    const stack = newStack();
    const handler = inlineFunction(stack, 'MyDefault');
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', { defaultRouteHandler: handler });
    const template = Template.fromStack(stack);
    expect(api.defaultRouteFunction).toBe(handler);
    const handlerId = logicalIdOf(stack, handler);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [handlerId, 'Arn'] }])] }),
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [handlerId, 'Arn'] },
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/*$default'])] }),
    });
    // authorizer, connect, disconnect and the user's function
    template.resourceCountIs('AWS::Lambda::Function', 4);
    expect(JSON.stringify(template.toJSON())).not.toContain('execute-api:ManageConnections');
  });

  test('an existing pool and client: nothing Cognito is created, the authorizer trusts exactly them', () => {
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Pool');
    const web = userPool.addClient('Web');
    const mobile = userPool.addClient('Mobile');
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', { userPool, userPoolClients: [web, mobile] });
    const template = Template.fromStack(stack);
    expect(api.userPool).toBe(userPool);
    expect(api.userPoolClient).toBeUndefined();
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          USER_POOL_ID: { Ref: logicalIdOf(stack, userPool) },
          CLIENT_IDS: { 'Fn::Join': ['', [{ Ref: logicalIdOf(stack, web) }, ',', { Ref: logicalIdOf(stack, mobile) }]] },
        }),
      },
    });
  });

  test('an imported pool without clients gets one new public client on that pool', () => {
    const stack = newStack();
    const userPool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_abc123');
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', { userPool });
    const template = Template.fromStack(stack);
    expect(api.userPoolClient).toBeDefined();
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { UserPoolId: 'eu-west-1_abc123', GenerateSecret: false });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ USER_POOL_ID: 'eu-west-1_abc123' }) },
    });
  });
});

describe('validation names the prop and the fix', () => {
  test.each<[string, () => CognitoAuthorizedWebSocketApiProps, RegExp]>([
    ['stageName with a slash', () => ({ stageName: 'prod/v1' }), /stageName 'prod\/v1' is not valid/],
    ['empty stageName', () => ({ stageName: '' }), /stageName '' is not valid/],
    ['a Node.js runtime older than 22', () => ({ runtime: lambda.Runtime.NODEJS_20_X }), /runtime nodejs20.x is not valid: the bundled handlers need Node.js 22 or newer/],
    ['a runtime that is not Node.js', () => ({ runtime: lambda.Runtime.PYTHON_3_12 }), /runtime python3.12 is not valid/],
    ['connectionTtl under 2 hours', () => ({ connectionTtl: Duration.minutes(30) }), /connectionTtl is 30 minutes: use whole seconds from 2 hours/],
    ['connectionTtl over 7 days', () => ({ connectionTtl: Duration.days(8) }), /connectionTtl is 8 days/],
    ['connectionTtl with a fraction of a second', () => ({ connectionTtl: Duration.millis(7_200_500) }), /connectionTtl is .*whole seconds/],
    ['empty requiredGroups', () => ({ requiredGroups: [] }), /requiredGroups is empty/],
    ['blank requiredGroups entry', () => ({ requiredGroups: ['admins', ' '] }), /requiredGroups entry ' '/],
    ['requiredGroups entry with a comma', () => ({ requiredGroups: ['a,b'] }), /requiredGroups entry 'a,b'/],
    ['empty userPoolClients', () => ({ userPoolClients: [] }), /userPoolClients is empty/],
    ['throttle rate 0', () => ({ throttle: { rateLimit: 0 } }), /throttle.rateLimit is 0/],
    ['throttle burst fractional', () => ({ throttle: { burstLimit: 1.5 } }), /throttle.burstLimit is 1.5/],
  ])('%s', (_name, props, message) => {
    expect(() => new CognitoAuthorizedWebSocketApi(newStack(), 'Ws', props())).toThrow(message);
  });

  test.each<[string, () => CognitoAuthorizedWebSocketApiProps, string]>([
    ['stageName of 129 characters', () => ({ stageName: 's'.repeat(129) }),
      `stageName '${'s'.repeat(129)}' is not valid: use 1 to 128 letters, digits, hyphens or underscores, e.g. 'prod'`],
    ['requiredGroups entry with surrounding whitespace', () => ({ requiredGroups: [' admins'] }),
      'requiredGroups entry \' admins\' is not a Cognito group name: use 1 to 128 characters without commas or surrounding whitespace'],
    ['requiredGroups entry of 129 characters', () => ({ requiredGroups: ['g'.repeat(129)] }),
      `requiredGroups entry '${'g'.repeat(129)}' is not a Cognito group name: use 1 to 128 characters without commas or surrounding whitespace`],
    ['throttle rate 0', () => ({ throttle: { rateLimit: 0 } }), 'throttle.rateLimit is 0: use a number of requests per second above 0'],
    ['throttle rate negative', () => ({ throttle: { rateLimit: -5 } }), 'throttle.rateLimit is -5: use a number of requests per second above 0'],
    ['throttle burst 0', () => ({ throttle: { burstLimit: 0 } }), 'throttle.burstLimit is 0: use a whole number of requests above 0'],
    ['throttle burst negative', () => ({ throttle: { burstLimit: -1 } }), 'throttle.burstLimit is -1: use a whole number of requests above 0'],
  ])('%s: exactly this message', (_name, props, message) => {
    expect(() => new CognitoAuthorizedWebSocketApi(newStack(), 'Ws', props())).toThrow(new Error(message));
  });

  test.each(['', 'id token', 'a&b', 'x'.repeat(129)])('tokenSource query string name %j', (name) => {
    expect(() => TokenSource.queryString(name)).toThrow(/tokenSource: TokenSource.queryString\(.*\) is not a usable query string parameter name/);
  });

  test('a client of another pool than userPool', () => {
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Pool');
    const otherClient = new cognito.UserPool(stack, 'OtherPool').addClient('Client');
    expect(() => new CognitoAuthorizedWebSocketApi(stack, 'Ws', { userPool, userPoolClients: [otherClient] }))
      .toThrow(/userPoolClients: app client 'TestStack\/OtherPool\/Client' belongs to another user pool than userPool/);
  });

  test('clients given without userPool belong to another pool than the new one', () => {
    const stack = newStack();
    const client = new cognito.UserPool(stack, 'Pool').addClient('Client');
    expect(() => new CognitoAuthorizedWebSocketApi(stack, 'Ws', { userPoolClients: [client] })).toThrow(/userPoolClients: .*another user pool/);
  });
});

describe('addRoute', () => {
  test('routes an action to the handler with a proxy integration, no authorizer of its own, and an invoke permission', () => {
    const stack = newStack();
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws');
    const handler = inlineFunction(stack, 'SendMessage');
    api.addRoute('sendMessage', handler, { returnResponse: true });
    const template = Template.fromStack(stack);
    const handlerId = logicalIdOf(stack, handler);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      ApiId: { Ref: logicalIdOf(stack, api.webSocketApi) },
      RouteKey: 'sendMessage',
      AuthorizationType: 'NONE',
      RouteResponseSelectionExpression: '$default',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [handlerId, 'Arn'] }])] }),
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [handlerId, 'Arn'] },
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/*sendMessage'])] }),
    });
  });

  test.each(['$connect', '$disconnect', '$default'])('rejects %s', (routeKey) => {
    const stack = newStack();
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws');
    expect(() => api.addRoute(routeKey, inlineFunction(stack, 'Fn'))).toThrow(/the construct owns \$connect, \$disconnect, \$default/);
  });

  test.each(['', ' ', '$x'])('rejects the route key %j with exactly this message', (routeKey) => {
    const stack = newStack();
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws');
    expect(() => api.addRoute(routeKey, inlineFunction(stack, 'Fn'))).toThrow(new Error(
      `addRoute('${routeKey}'): a route key must be the non-empty value of the message's action, not starting with $`));
  });

  test('rejects a duplicate route key', () => {
    const stack = newStack();
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws');
    api.addRoute('sendMessage', inlineFunction(stack, 'A'));
    expect(() => api.addRoute('sendMessage', inlineFunction(stack, 'B'))).toThrow(/addRoute\('sendMessage'\): a route with this key already exists/);
  });
});

describe('grants', () => {
  test('grantManageConnections: ManageConnections on this API\'s stage @connections only', () => {
    const stack = newStack();
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', { stageName: 'v2' });
    const role = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    api.grantManageConnections(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as any) }],
      PolicyDocument: { Statement: [manageConnectionsOnStage(logicalIdOf(stack, api.webSocketApi), 'v2')] },
    });
  });

  test('grantPostToConnections: ManageConnections with POST only, on this API\'s stage @connections only', () => {
    const stack = newStack();
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', { stageName: 'v2' });
    const role = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    api.grantPostToConnections(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as any) }],
      PolicyDocument: { Statement: [manageConnectionsOnStage(logicalIdOf(stack, api.webSocketApi), 'v2', 'POST')] },
    });
  });

  test('grantReadConnections: GetItem on the table, Query on the table and the userIdIndex, nothing else', () => {
    const stack = newStack();
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws');
    const role = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    api.grantReadConnections(role);
    const template = Template.fromStack(stack);
    const tableId = logicalIdOf(stack, api.connectionsTable);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as any) }],
      PolicyDocument: {
        Statement: [
          { Action: 'dynamodb:GetItem', Effect: 'Allow', Resource: tableArn(tableId) },
          {
            Action: 'dynamodb:Query',
            Effect: 'Allow',
            Resource: [tableArn(tableId), { 'Fn::Join': ['', [tableArn(tableId), '/index/userIdIndex']] }],
          },
        ],
      },
    });
  });
});

describe('the runtime API\'s grants and environment', () => {
  /** A stack with the construct (stage `v2`) and a role of the app's own. */
  function withBackendRole() {
    const stack = newStack();
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', { stageName: 'v2' });
    const role = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { stack, api, role };
  }

  /** Every statement of every policy attached to `role`, in order. */
  function statementsOf(stack: Stack, role: iam.Role): unknown[] {
    const roleId = stack.getLogicalId(role.node.defaultChild as any);
    return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter((policy: any) => policy.Properties.Roles.some((ref: any) => ref.Ref === roleId))
      .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
  }

  const connectionsMethod = (stack: Stack, api: CognitoAuthorizedWebSocketApi, method: string) => ({
    Action: 'execute-api:ManageConnections',
    Effect: 'Allow',
    Resource: {
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':',
        { Ref: logicalIdOf(stack, api.webSocketApi) }, `/v2/${method}/@connections/*`,
      ]],
    },
  });
  const queryUserIdIndex = (tableId: string) => ({
    Action: 'dynamodb:Query', Effect: 'Allow', Resource: { 'Fn::Join': ['', [tableArn(tableId), '/index/userIdIndex']] },
  });
  const onTable = (action: string, tableId: string) => ({ Action: action, Effect: 'Allow', Resource: tableArn(tableId) });

  test('grantPostToConnections: POST on this stage\'s @connections, not GET or DELETE', () => {
    const { stack, api, role } = withBackendRole();
    api.grantPostToConnections(role);
    expect(statementsOf(stack, role)).toEqual([connectionsMethod(stack, api, 'POST')]);
  });

  test.each([
    ['grantSendToUser', 'Query on userIdIndex only, DeleteItem on the table, POST', ['query', 'dynamodb:DeleteItem', 'POST']],
    ['grantBroadcast', 'Scan and DeleteItem on the table, POST', ['dynamodb:Scan', 'dynamodb:DeleteItem', 'POST']],
    ['grantDisconnect', 'Query on userIdIndex, DeleteItem on the table, DELETE', ['query', 'dynamodb:DeleteItem', 'DELETE']],
  ] as const)('%s: %s on this stage, nothing more', (grant, _, expected) => {
    const { stack, api, role } = withBackendRole();
    api[grant](role);
    const tableId = logicalIdOf(stack, api.connectionsTable);
    expect(statementsOf(stack, role)).toEqual(expected.map((what) => what === 'query' ? queryUserIdIndex(tableId)
      : what.startsWith('dynamodb:') ? onTable(what, tableId) : connectionsMethod(stack, api, what)));
  });

  test('addSender sets the variables fromEnvironment() reads and grants exactly what sendToUser uses', () => {
    // GIVEN a function of the app with a variable of its own
    const { stack, api } = withBackendRole();
    const sender = new lambda.Function(stack, 'Notifier', {
      code: lambda.Code.fromInline('exports.handler = async () => undefined;'),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      environment: { TABLE_NAME: 'orders' },
    });
    // WHEN it is made a sender
    api.addSender(sender);
    // THEN it knows the table and the callback URL, its own variable untouched
    const template = Template.fromStack(stack);
    const tableId = logicalIdOf(stack, api.connectionsTable);
    expect(template.toJSON().Resources[logicalIdOf(stack, sender)].Properties.Environment.Variables).toEqual({
      TABLE_NAME: 'orders',
      WEBSOCKET_CONNECTIONS_TABLE: { Ref: tableId },
      WEBSOCKET_CALLBACK_URL: stack.resolve(api.callbackUrl),
    });
    // AND its role may do exactly what grantSendToUser allows
    expect(statementsOf(stack, sender.role as iam.Role)).toEqual([
      queryUserIdIndex(tableId),
      onTable('dynamodb:DeleteItem', tableId),
      connectionsMethod(stack, api, 'POST'),
    ]);
  });

  test('addSender refuses an imported function, naming what to do instead', () => {
    const { stack, api } = withBackendRole();
    const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:123456789012:function:notifier');
    expect(() => api.addSender(imported)).toThrow(/addSender\(TestStack\/Imported\): only a function defined in this app .* grantSendToUser\(fn\)/);
  });

  test('a route handler and the defaultRouteHandler get the variables, and no permission', () => {
    const stack = newStack();
    const defaultHandler = inlineFunction(stack, 'Default');
    const api = new CognitoAuthorizedWebSocketApi(stack, 'Ws', { defaultRouteHandler: defaultHandler });
    const routeHandler = inlineFunction(stack, 'SendMessage');
    api.addRoute('sendmessage', routeHandler);
    const template = Template.fromStack(stack);
    for (const fn of [defaultHandler, routeHandler]) {
      expect(template.toJSON().Resources[logicalIdOf(stack, fn)].Properties.Environment.Variables).toEqual({
        WEBSOCKET_CONNECTIONS_TABLE: { Ref: logicalIdOf(stack, api.connectionsTable) },
        WEBSOCKET_CALLBACK_URL: stack.resolve(api.callbackUrl),
      });
      expect(statementsOf(stack, fn.role as iam.Role)).toEqual([]);
    }
  });

  test('one function cannot reach the connections of two APIs through the same variables', () => {
    const stack = newStack();
    const first = new CognitoAuthorizedWebSocketApi(stack, 'First');
    const second = new CognitoAuthorizedWebSocketApi(stack, 'Second', { cloudWatchRole: false });
    const handler = inlineFunction(stack, 'Shared');
    first.addRoute('chat', handler);
    expect(() => second.addSender(handler)).toThrow(
      /TestStack\/Shared already reaches the connections of TestStack\/First .* cannot also reach those of TestStack\/Second/);
  });
});
