import type { StackArtifact } from '../../local/cloud-assembly';
import { LocalResourceNames } from '../../local/local-resource-names';

function stack(stackName: string, resources: NonNullable<StackArtifact['template']['Resources']>): StackArtifact {
  return { stackName, assemblyDir: '.', template: { Resources: resources }, assetPathsByObjectKey: {} };
}

describe('LocalResourceNames', () => {
  const chat = stack('ChatStack', {
    UserPool: { Type: 'AWS::Cognito::UserPool' },
    OtherPool: { Type: 'AWS::Cognito::UserPool' },
    UserPoolClient: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'UserPool' } } },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET' } },
    HttpApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
    Handler: { Type: 'AWS::Lambda::Function' },
    Connections: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'chat-connections' } },
    Role: { Type: 'AWS::IAM::Role' },
    Queue: { Type: 'AWS::SQS::Queue' },
  });
  const names = new LocalResourceNames([chat], 'eu-west-1');
  const valueOf = (logicalId: string) => names.values.get('ChatStack')!.get(logicalId)!;

  test('ids stay the same from one start to the next, so a web client\'s saved settings keep working', () => {
    // THEN the same ids as every earlier version of the runtime gave these resources
    expect(names.nameOf(chat, 'UserPool')).toBe('eu-west-1_Qt4uX0BHE');
    expect(names.nameOf(chat, 'UserPoolClient')).toBe('3skjpey0bbp3kahkjihims4es2');
    expect(names.nameOf(chat, 'Api')).toBe('0shv90g82x');
    expect(names.nameOf(chat, 'Handler')).toBe('ChatStack-Handler-WLHBWTPATKZP');
    // AND a second naming of the same app agrees
    expect(new LocalResourceNames([chat], 'eu-west-1').nameOf(chat, 'UserPool')).toBe('eu-west-1_Qt4uX0BHE');
  });

  test('a user pool id looks like Cognito\'s, differs between pools, and its attributes name it', () => {
    expect(names.nameOf(chat, 'OtherPool')).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(names.nameOf(chat, 'OtherPool')).not.toBe(names.nameOf(chat, 'UserPool'));
    expect(valueOf('UserPool').attributes).toEqual({
      Arn: 'arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_Qt4uX0BHE',
      ProviderName: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Qt4uX0BHE',
      ProviderURL: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Qt4uX0BHE',
      UserPoolId: 'eu-west-1_Qt4uX0BHE',
    });
  });

  test('an app client id is 26 lowercase letters and digits, like Cognito\'s', () => {
    expect(valueOf('UserPoolClient')).toEqual({ ref: '3skjpey0bbp3kahkjihims4es2', attributes: { ClientId: '3skjpey0bbp3kahkjihims4es2', Name: 'UserPoolClient' } });
  });

  test('a WebSocket API gets an API id and its endpoint in AWS; an HTTP API only a placeholder name', () => {
    expect(valueOf('Api')).toEqual({ ref: '0shv90g82x', attributes: { ApiId: '0shv90g82x', ApiEndpoint: 'wss://0shv90g82x.execute-api.eu-west-1.amazonaws.com' } });
    expect(names.nameOf(chat, 'HttpApi')).toMatch(/^ChatStack-HttpApi-[A-Z]{12}$/);
  });

  test('a resource keeps the name its template gives it, and its ARN names its service; IAM ARNs name no region', () => {
    expect(names.nameOf(chat, 'Connections')).toBe('chat-connections');
    expect(valueOf('Connections').attributes?.Arn).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/chat-connections');
    expect(valueOf('Connections').attributes?.StreamArn).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/chat-connections/stream/1970-01-01T00:00:00.000');
    expect(valueOf('Handler').attributes?.Arn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:ChatStack-Handler-WLHBWTPATKZP');
    expect(valueOf('Role').attributes?.Arn).toMatch(/^arn:aws:iam::000000000000:role\/ChatStack-Role-[A-Z]{12}$/);
    expect(valueOf('Queue').attributes?.Arn).toMatch(/^arn:aws:sqs:eu-west-1:000000000000:ChatStack-Queue-[A-Z]{12}$/);
  });

  test('the same logical id in another stack gets another name', () => {
    const other = stack('OtherStack', { UserPool: { Type: 'AWS::Cognito::UserPool' } });
    const both = new LocalResourceNames([chat, other], 'eu-west-1');
    expect(both.nameOf(other, 'UserPool')).not.toBe(both.nameOf(chat, 'UserPool'));
  });

  test('asking for a resource the stack does not have names it', () => {
    expect(() => names.nameOf(chat, 'Missing')).toThrow('Missing is not a resource of ChatStack');
  });
});
