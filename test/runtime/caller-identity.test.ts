import { callerIdentity, hasExpired } from '../../runtime/caller-identity';

describe('callerIdentity', () => {
  test('reads the authorizer context API Gateway passes to every route, splitting groups and scopes', () => {
    // GIVEN a route event whose context holds what the construct's authorizer returns (numbers may arrive as strings)
    const event = {
      requestContext: {
        connectionId: 'abc=',
        authorizer: {
          principalId: 'sub-1',
          userId: 'sub-1',
          username: 'alice',
          groups: 'admins,chat-users',
          tokenUse: 'access',
          exp: '1900000000',
          scope: 'chat/write aws.cognito.signin.user.admin',
          integrationLatency: 12,
        },
      },
    };
    // THEN the identity is typed, with arrays for groups and scopes
    expect(callerIdentity(event)).toEqual({
      userId: 'sub-1',
      username: 'alice',
      groups: ['admins', 'chat-users'],
      tokenUse: 'access',
      exp: 1_900_000_000,
      scope: ['chat/write', 'aws.cognito.signin.user.admin'],
    });
  });

  test('an ID token\'s context (no groups, no scope, exp a number) gives empty lists', () => {
    const identity = callerIdentity({ requestContext: { authorizer: { userId: 'sub-2', username: 'bob', groups: '', tokenUse: 'id', exp: 1_800_000_000 } } });
    expect(identity).toEqual({ userId: 'sub-2', username: 'bob', groups: [], tokenUse: 'id', exp: 1_800_000_000, scope: [] });
  });

  test.each([
    ['no authorizer context', { requestContext: {} }],
    ['a null authorizer context', { requestContext: { authorizer: null } }],
    ['an empty userId', { requestContext: { authorizer: { userId: '' } } }],
  ])('refuses an event with %s, saying which events it reads', (_, event) => {
    expect(() => callerIdentity(event)).toThrow(/no requestContext\.authorizer\.userId; it must be the event of a WebSocket route of a CognitoAuthorizedWebSocketApi/);
  });
});

describe('hasExpired', () => {
  test('is false before exp and true from exp on', () => {
    expect(hasExpired({ exp: 1_000 }, 999_999)).toBe(false);
    expect(hasExpired({ exp: 1_000 }, 1_000_000)).toBe(true);
  });
});
