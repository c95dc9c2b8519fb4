import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MAX_CONNECTIONS_PER_USER, MEMBERS_GROUP, SessionsStack, SIGNED_IN_USER_SCOPE } from '../../examples/sessions/sessions-stack';

/** Asset hashes change with every handler build; the snapshot is about the stack's shape. */
function withoutAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset hash>'));
}

describe('examples/sessions: tokens in the subprotocol, a scope, a group, a connection limit', () => {
  const template = Template.fromStack(new SessionsStack(new App(), 'SessionsStack'));

  test('the authorizer reads the access token from Sec-WebSocket-Protocol and requires the scope and the group', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.header.Sec-WebSocket-Protocol'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TOKEN_USE: 'access', TOKEN_SOURCE_KIND: 'subprotocol', REQUIRED_SCOPES: SIGNED_IN_USER_SCOPE, REQUIRED_GROUPS: MEMBERS_GROUP,
        }),
      },
    });
  });

  test('$connect refuses a user\'s connections beyond the limit, and a sweeper closes expired ones every minute', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAX_CONNECTIONS_PER_USER: String(MAX_CONNECTIONS_PER_USER) }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });

  test('the pool has the group the API requires', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: MEMBERS_GROUP, UserPoolId: { Ref: Match.stringLikeRegexp('^SessionsUserPool') },
    });
  });

  test('matches the snapshot (asset hashes normalized; update deliberately with `npx projen test:update`)', () => {
    expect(withoutAssetHashes(template.toJSON())).toMatchSnapshot();
  });
});
