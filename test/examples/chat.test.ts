import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ChatStack } from '../../examples/chat/chat-stack';

describe('examples/chat: a chat on the construct, with a notifier behind a function URL', () => {
  const stack = new ChatStack(new App(), 'ChatStack');
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources;
  const idOf = (prefix: string, type: string) => Object.keys(resources).find((id) => id.startsWith(prefix) && resources[id].Type === type)!;
  const ids = {
    table: idOf('ChatConnectionsTable', 'AWS::DynamoDB::Table'),
    pool: idOf('ChatUserPool', 'AWS::Cognito::UserPool'),
    api: idOf('ChatApi', 'AWS::ApiGatewayV2::Api'),
    sendMessage: idOf('SendMessage', 'AWS::Lambda::Function'),
    notify: idOf('Notify', 'AWS::Lambda::Function'),
  };
  const statementsOf = (functionId: string) => {
    const roleId = resources[functionId].Properties.Role['Fn::GetAtt'][0];
    return Object.values<any>(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.some((role: any) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  };
  const tableArn = { 'Fn::GetAtt': [ids.table, 'Arn'] };
  const connectionsMethod = (method: string) => ({
    Action: 'execute-api:ManageConnections',
    Effect: 'Allow',
    Resource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: ids.api }, `/prod/${method}/@connections/*`])] },
  });
  const queryIndex = { Action: 'dynamodb:Query', Effect: 'Allow', Resource: { 'Fn::Join': ['', [tableArn, '/index/userIdIndex']] } };
  const deleteRow = { Action: 'dynamodb:DeleteItem', Effect: 'Allow', Resource: tableArn };
  const adminGetUser = { Action: 'cognito-idp:AdminGetUser', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.pool, 'Arn'] } };

  test('the sendmessage route runs its own function, with the runtime API\'s variables and the pool', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { ApiId: { Ref: ids.api }, RouteKey: 'sendmessage', AuthorizationType: 'NONE' });
    expect(resources[ids.sendMessage].Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    expect(resources[ids.sendMessage].Properties.Environment.Variables).toEqual({
      WEBSOCKET_CONNECTIONS_TABLE: { Ref: ids.table },
      WEBSOCKET_CALLBACK_URL: expect.anything(),
      USER_POOL_ID: { Ref: ids.pool },
    });
  });

  test('sendmessage may send to users, close a connection and look a user up: exactly that', () => {
    // One policy on its role, with these statements and no other (grantSendToUser and grantDisconnect share two)
    expect(statementsOf(ids.sendMessage)).toHaveLength(5);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [queryIndex, deleteRow, connectionsMethod('POST'), connectionsMethod('DELETE'), adminGetUser] },
    });
  });

  test('the notifier is a sender behind a public function URL that checks the caller\'s token itself', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      TargetFunctionArn: { 'Fn::GetAtt': [ids.notify, 'Arn'] },
      AuthType: 'NONE',
      Cors: { AllowOrigins: ['*'], AllowMethods: ['POST'], AllowHeaders: ['authorization', 'content-type'] },
    });
    expect(Object.keys(resources[ids.notify].Properties.Environment.Variables).sort())
      .toEqual(['USER_POOL_CLIENT_ID', 'USER_POOL_ID', 'WEBSOCKET_CALLBACK_URL', 'WEBSOCKET_CONNECTIONS_TABLE']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [queryIndex, deleteRow, connectionsMethod('POST'), adminGetUser] },
    });
    expect(statementsOf(ids.notify)).toHaveLength(4);
  });

  test('outputs what a web page needs: the endpoints, the pool\'s client and the notifier\'s URL', () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(['notifyUrl', 'region', 'userPoolClientId', 'userPoolId', 'webSocketEndpoint']);
    template.hasOutput('notifyUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifyFunctionUrl'), 'FunctionUrl'] } });
  });
});
