import { authorizerEnv } from './authorizer-test-kit';
import { readAuthorizerConfig } from '../../lambda/authorizer/authorizer-config';

describe('the authorizer\'s environment', () => {
  test('the construct\'s defaults read as the sample\'s: ID tokens from ?idToken, no groups', () => {
    expect(readAuthorizerConfig(authorizerEnv())).toEqual({
      userPoolId: 'eu-west-1_TestPool1',
      clientIds: ['client0000000000000000000a', 'client0000000000000000000b'],
      tokenUse: 'id',
      requiredGroups: [],
      requiredScopes: [],
      tokenSource: { kind: 'querystring', name: 'idToken' },
    });
  });

  test('required scopes are read space-separated, as a token\'s scope claim lists them', () => {
    const config = readAuthorizerConfig(authorizerEnv({ TOKEN_USE: 'access', REQUIRED_SCOPES: ' chat/read  chat/write ' }));
    expect(config.requiredScopes).toEqual(['chat/read', 'chat/write']);
  });

  test('lists tolerate spaces and empty entries; a header source defaults to Authorization', () => {
    const config = readAuthorizerConfig(authorizerEnv({
      CLIENT_IDS: ' a ,, b ', REQUIRED_GROUPS: 'admins, ,operators', TOKEN_SOURCE_KIND: 'header', TOKEN_SOURCE_NAME: '',
    }));
    expect(config.clientIds).toEqual(['a', 'b']);
    expect(config.requiredGroups).toEqual(['admins', 'operators']);
    expect(config.tokenSource).toEqual({ kind: 'header', name: 'Authorization' });
  });

  test('a token source name is trimmed, and a blank or missing one falls back to the default of its kind', () => {
    expect(readAuthorizerConfig(authorizerEnv({ TOKEN_SOURCE_NAME: '  token  ' })).tokenSource).toEqual({ kind: 'querystring', name: 'token' });
    expect(readAuthorizerConfig(authorizerEnv({ TOKEN_SOURCE_NAME: ' ' })).tokenSource).toEqual({ kind: 'querystring', name: 'idToken' });
    const { TOKEN_SOURCE_NAME: _omitted, ...withoutName } = authorizerEnv({ TOKEN_SOURCE_KIND: 'header' });
    expect(readAuthorizerConfig(withoutName).tokenSource).toEqual({ kind: 'header', name: 'Authorization' });
  });

  test.each([
    ['USER_POOL_ID missing', { USER_POOL_ID: '' }, /USER_POOL_ID/],
    ['CLIENT_IDS missing', { CLIENT_IDS: ' ' }, /CLIENT_IDS/],
    ['TOKEN_USE neither id nor access', { TOKEN_USE: 'refresh' }, /TOKEN_USE must be 'id' or 'access'/],
    ['TOKEN_SOURCE_KIND unknown', { TOKEN_SOURCE_KIND: 'cookie' }, /TOKEN_SOURCE_KIND must be one of querystring, header, subprotocol/],
    ['REQUIRED_SCOPES with ID tokens', { REQUIRED_SCOPES: 'chat/read' }, /^REQUIRED_SCOPES needs TOKEN_USE 'access'$/],
  ])('a deployment error fails the cold start: %s', (_name, overrides, message) => {
    expect(() => readAuthorizerConfig(authorizerEnv(overrides))).toThrow(message);
  });
});
