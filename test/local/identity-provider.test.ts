import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
  SignUpCommand,
  UsernameExistsException,
  UserNotConfirmedException,
  RevokeTokenCommand,
  InvalidPasswordException,
  UserNotFoundException,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { ParameterValidationError } from 'aws-jwt-verify/error';
import { firstResponseLine } from './raw-socket-client';
import { CodeDelivery, LocalIdentityProvider, LocalIdentityServer, passwordPolicyViolation } from '../../local/identity';

const REGION = 'eu-west-1';
const POOL_ID = 'eu-west-1_LocalPool1';
const CLIENT_ID = 'localclientone';
const OTHER_POOL_ID = 'eu-west-1_LocalPool2';
const OTHER_POOL_CLIENT_ID = 'localclienttwo';

function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

describe('LocalIdentityProvider on Cognito\'s JSON wire protocol', () => {
  let provider: LocalIdentityProvider;
  let server: LocalIdentityServer;
  let cognito: CognitoIdentityProviderClient;
  const codes: CodeDelivery[] = [];
  const codeFor = (username: string) => codes.filter((delivery) => delivery.username === username).pop()!.code;

  beforeAll(async () => {
    provider = new LocalIdentityProvider({
      region: REGION,
      autoConfirmSignUp: false,
      onCode: (delivery) => codes.push(delivery),
      userPools: [
        { userPoolId: POOL_ID, clientIds: [CLIENT_ID], autoVerifyEmail: true },
        { userPoolId: OTHER_POOL_ID, clientIds: [OTHER_POOL_CLIENT_ID] },
      ],
    });
    server = await provider.listen();
    cognito = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    cognito.destroy();
    await server.close();
  });

  test('a request target no client sends (GET //) is refused with a 4xx, and the endpoint keeps serving', async () => {
    // GIVEN the endpoint listening, WHEN a client asks for targets that URL parsers read as a host or cannot decode
    for (const target of ['//', '//.well-known/jwks.json', '/%E0%A4%A/.well-known/jwks.json']) {
      const { port } = new URL(server.endpoint);
      const answer = await firstResponseLine(Number(port), `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      // THEN each is answered with a client error, never a dropped connection
      expect({ target, answer }).toEqual({ target, answer: expect.stringMatching(/^HTTP\/1\.1 4\d\d /) });
    }
    // AND the endpoint still serves the pool's keys
    expect((await fetch(`${server.endpoint}/${POOL_ID}/.well-known/jwks.json`)).status).toBe(200);
  });

  test('SignUp, ConfirmSignUp and USER_PASSWORD_AUTH issue tokens that CognitoJwtVerifier accepts for the pool and client', async () => {
    // GIVEN a user who signed up but has not confirmed
    const signUp = await cognito.send(new SignUpCommand({
      ClientId: CLIENT_ID,
      Username: 'alice',
      Password: 'Passw0rd!',
      UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
    }));
    expect(signUp.UserConfirmed).toBe(false);
    await expect(cognito.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: 'Passw0rd!' },
    }))).rejects.toBeInstanceOf(UserNotConfirmedException);

    // WHEN she confirms with the code sent to her email address, and signs in
    await cognito.send(new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: 'alice', ConfirmationCode: codeFor('alice') }));
    const signIn = await cognito.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: 'Passw0rd!' },
    }));

    // THEN the tokens verify against the pool's JWKS, for this client, with Cognito's claims
    const result = signIn.AuthenticationResult!;
    expect(result.TokenType).toBe('Bearer');
    expect(result.ExpiresIn).toBe(3600);
    expect(result.RefreshToken).toEqual(expect.any(String));
    const idVerifier = CognitoJwtVerifier.create({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'id' });
    idVerifier.cacheJwks(provider.jwks(POOL_ID) as any);
    const idClaims = await idVerifier.verify(result.IdToken!);
    expect(idClaims).toMatchObject({
      'sub': signUp.UserSub,
      'iss': `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`,
      'aud': CLIENT_ID,
      'token_use': 'id',
      'cognito:username': 'alice',
      'email': 'alice@example.com',
      'email_verified': true,
    });
    expect(idClaims.exp - idClaims.iat).toBe(3600);
    expect(idClaims.auth_time).toBe(idClaims.iat);
    expect(idClaims.jti).toEqual(expect.any(String));
    expect(idClaims).not.toHaveProperty('cognito:groups');

    const accessVerifier = CognitoJwtVerifier.create({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'access' });
    accessVerifier.cacheJwks(provider.jwks(POOL_ID) as any);
    const accessClaims = await accessVerifier.verify(result.AccessToken!);
    expect(accessClaims).toMatchObject({ sub: signUp.UserSub, client_id: CLIENT_ID, token_use: 'access', username: 'alice' });
    expect(accessClaims).not.toHaveProperty('aud');
  });

  test('the token header names the key the JWKS publishes, and another pool\'s verifier refuses the token', async () => {
    provider.createUser({ userPoolId: POOL_ID, username: 'carol', password: 'Passw0rd!' });
    const signIn = await cognito.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'carol', PASSWORD: 'Passw0rd!' },
    }));
    const idToken = signIn.AuthenticationResult!.IdToken!;
    const header = JSON.parse(Buffer.from(idToken.split('.')[0], 'base64url').toString('utf8'));
    expect(header).toEqual({ kid: provider.jwks(POOL_ID).keys[0].kid, alg: 'RS256' });

    const otherPoolVerifier = CognitoJwtVerifier.create({ userPoolId: OTHER_POOL_ID, clientId: OTHER_POOL_CLIENT_ID, tokenUse: 'id' });
    otherPoolVerifier.cacheJwks(provider.jwks(OTHER_POOL_ID) as any);
    // the token names its own pool as issuer, which the other pool's verifier does not accept
    const refusal = otherPoolVerifier.verify(idToken);
    await expect(refusal).rejects.toBeInstanceOf(ParameterValidationError);
    await expect(refusal).rejects.toThrow(`issuer not configured: https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`);
    // AND the other pool publishes keys of its own: the token's key is not among them
    expect(provider.jwks(OTHER_POOL_ID).keys.map((key) => key.kid)).not.toContain(header.kid);
  });

  test('a created user carries cognito:groups in both tokens', async () => {
    for (const GroupName of ['admins', 'staff']) await cognito.send(new CreateGroupCommand({ UserPoolId: POOL_ID, GroupName }));
    provider.createUser({ userPoolId: POOL_ID, username: 'admin', password: 'Adm1n-pass', email: 'admin@example.com', groups: ['admins', 'staff'] });
    const signIn = await cognito.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'admin', PASSWORD: 'Adm1n-pass' },
    }));
    expect(decodePayload(signIn.AuthenticationResult!.IdToken!)['cognito:groups']).toEqual(['admins', 'staff']);
    expect(decodePayload(signIn.AuthenticationResult!.AccessToken!)['cognito:groups']).toEqual(['admins', 'staff']);
  });

  test('a wrong password gets NotAuthorizedException; an unknown user UserNotFoundException (PreventUserExistenceErrors LEGACY)', async () => {
    provider.createUser({ userPoolId: POOL_ID, username: 'bob', password: 'Corr3ct-pass' });
    const wrongPassword = cognito.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'wrong' },
    }));
    await expect(wrongPassword).rejects.toBeInstanceOf(NotAuthorizedException);
    await expect(wrongPassword).rejects.toThrow('Incorrect username or password.');
    const unknown = cognito.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: 'wrong' },
    }));
    await expect(unknown).rejects.toBeInstanceOf(UserNotFoundException);
    await expect(unknown).rejects.toThrow('User does not exist.');
  });

  test('with PreventUserExistenceErrors ENABLED an unknown user gets the wrong password\'s error', async () => {
    const preventing = new LocalIdentityProvider({
      region: REGION,
      userPools: [{
        userPoolId: POOL_ID, clientIds: [CLIENT_ID], clientSettings: [{ clientId: CLIENT_ID, preventUserExistenceErrors: true }],
      }],
    });
    const preventingServer = await preventing.listen();
    const client = new CognitoIdentityProviderClient({
      region: REGION, endpoint: preventingServer.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const unknown = client.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: 'wrong' },
      }));
      await expect(unknown).rejects.toBeInstanceOf(NotAuthorizedException);
      await expect(unknown).rejects.toThrow('Incorrect username or password.');
    } finally {
      client.destroy();
      await preventingServer.close();
    }
  });

  test('an unknown app client gets ResourceNotFoundException', async () => {
    await expect(cognito.send(new InitiateAuthCommand({
      ClientId: 'no-such-client', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Corr3ct-pass' },
    }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(cognito.send(new SignUpCommand({ ClientId: 'no-such-client', Username: 'x', Password: 'Passw0rd!' })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('signing up an existing username gets UsernameExistsException; confirming twice gets NotAuthorizedException (autoConfirmSignUp false)', async () => {
    await cognito.send(new SignUpCommand({
      ClientId: CLIENT_ID, Username: 'dave', Password: 'Passw0rd!', UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }],
    }));
    await expect(cognito.send(new SignUpCommand({ ClientId: CLIENT_ID, Username: 'dave', Password: 'Other-pass1' })))
      .rejects.toBeInstanceOf(UsernameExistsException);
    await cognito.send(new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: 'dave', ConfirmationCode: codeFor('dave') }));
    const again = cognito.send(new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: 'dave', ConfirmationCode: codeFor('dave') }));
    await expect(again).rejects.toBeInstanceOf(NotAuthorizedException);
    await expect(again).rejects.toThrow('User cannot be confirmed. Current status is CONFIRMED');
  });

  test('REFRESH_TOKEN_AUTH issues fresh tokens of the same sign-in, for the client that signed in only', async () => {
    // GIVEN a sign-in at t0, and a provider clock we move forward
    let now = Date.UTC(2030, 0, 1);
    const timedProvider = new LocalIdentityProvider({
      region: REGION, userPools: [{ userPoolId: POOL_ID, clientIds: [CLIENT_ID, 'secondclient'] }], clock: () => now,
    });
    const timedServer = await timedProvider.listen();
    const client = new CognitoIdentityProviderClient({
      region: REGION, endpoint: timedServer.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const { sub } = timedProvider.createUser({ userPoolId: POOL_ID, username: 'erin', password: 'Passw0rd!' });
      const signIn = await client.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'erin', PASSWORD: 'Passw0rd!' },
      }));
      const first = decodePayload(signIn.AuthenticationResult!.IdToken!);

      // WHEN it is refreshed 50 minutes later
      now += 50 * 60 * 1000;
      const refreshed = await client.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signIn.AuthenticationResult!.RefreshToken! },
      }));

      // THEN the new ID token is for the same user and sign-in, newly issued, and no new refresh token is returned
      expect(refreshed.AuthenticationResult!.RefreshToken).toBeUndefined();
      const second = decodePayload(refreshed.AuthenticationResult!.IdToken!);
      expect(second).toMatchObject({ sub, 'auth_time': first.auth_time, 'origin_jti': first.origin_jti, 'cognito:username': 'erin' });
      expect(second.iat).toBe((first.iat as number) + 50 * 60);
      expect(second.jti).not.toBe(first.jti);

      // AND the refresh token is refused for another client and when it is not one we issued
      await expect(client.send(new InitiateAuthCommand({
        ClientId: 'secondclient', AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signIn.AuthenticationResult!.RefreshToken! },
      }))).rejects.toBeInstanceOf(NotAuthorizedException);
      await expect(client.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'made-up' },
      }))).rejects.toBeInstanceOf(NotAuthorizedException);
    } finally {
      client.destroy();
      await timedServer.close();
    }
  });

  test('RevokeToken ends the sign-in: its refresh token no longer works', async () => {
    provider.createUser({ userPoolId: POOL_ID, username: 'hana', password: 'Passw0rd!' });
    const signIn = await cognito.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'hana', PASSWORD: 'Passw0rd!' },
    }));
    const refresh = () => cognito.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signIn.AuthenticationResult!.RefreshToken! },
    }));
    await refresh();
    await cognito.send(new RevokeTokenCommand({ ClientId: CLIENT_ID, Token: signIn.AuthenticationResult!.RefreshToken! }));
    await expect(refresh()).rejects.toBeInstanceOf(NotAuthorizedException);
  });

  test('serves the JWKS at Cognito\'s path over GET, 404 for an unknown pool', async () => {
    const response = await fetch(`${server.endpoint}/${POOL_ID}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(provider.jwks(POOL_ID));
    expect(provider.jwks(POOL_ID).keys[0]).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig', e: 'AQAB' });
    expect((await fetch(`${server.endpoint}/eu-west-1_Nope/.well-known/jwks.json`)).status).toBe(404);
    // a malformed percent-escape is a 400, and the endpoint keeps serving
    expect((await fetch(`${server.endpoint}/%E0/.well-known/jwks.json`)).status).toBe(400);
    expect((await fetch(`${server.endpoint}/${POOL_ID}/.well-known/jwks.json`)).status).toBe(200);
  });

  test('answers a browser\'s CORS preflight and marks responses readable cross-origin', async () => {
    const preflight = await fetch(server.endpoint, {
      method: 'OPTIONS',
      headers: { 'Origin': 'http://127.0.0.1:9', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target' },
    });
    expect(preflight.status).toBe(204);
    // a loopback page's origin is named, never *, and the answer varies with it
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9');
    expect(preflight.headers.get('vary')).toBe('Origin');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-amz-target');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  test('a browser-style fetch gets Cognito\'s error body for an unknown operation and for non-JSON', async () => {
    const unknown = await fetch(server.endpoint, {
      method: 'POST',
      headers: {
        'Origin': 'http://localhost:5173', 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.DeleteUserPool',
      },
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const garbage = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: 'not json',
    });
    expect(await garbage.json()).toMatchObject({ __type: 'SerializationException' });
  });

  test('by default SignUp confirms the user at once, and a ConfirmSignUp that follows still succeeds', async () => {
    const autoConfirming = new LocalIdentityProvider({ region: REGION, userPools: [{ userPoolId: POOL_ID, clientIds: [CLIENT_ID] }] });
    const autoServer = await autoConfirming.listen();
    const client = new CognitoIdentityProviderClient({ region: REGION, endpoint: autoServer.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const signUp = await client.send(new SignUpCommand({ ClientId: CLIENT_ID, Username: 'gina', Password: 'Passw0rd!' }));
      expect(signUp.UserConfirmed).toBe(true);
      const signIn = await client.send(new InitiateAuthCommand({
        ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'gina', PASSWORD: 'Passw0rd!' },
      }));
      expect(decodePayload(signIn.AuthenticationResult!.IdToken!).sub).toBe(signUp.UserSub);
      await client.send(new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: 'gina', ConfirmationCode: '000000' }));
    } finally {
      client.destroy();
      await autoServer.close();
    }
  });

  test('SignUp enforces the template\'s password policy with Cognito\'s InvalidPasswordException', async () => {
    const strict = new LocalIdentityProvider({
      region: REGION,
      userPools: [{
        userPoolId: POOL_ID,
        clientIds: [CLIENT_ID],
        passwordPolicy: { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
      }],
    });
    const strictServer = await strict.listen();
    const client = new CognitoIdentityProviderClient({ region: REGION, endpoint: strictServer.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const weak = client.send(new SignUpCommand({ ClientId: CLIENT_ID, Username: 'ivan', Password: 'password1' }));
      await expect(weak).rejects.toBeInstanceOf(InvalidPasswordException);
      await expect(weak).rejects.toThrow('Password did not conform with policy: Password must have uppercase characters');
      const strong = await client.send(new SignUpCommand({ ClientId: CLIENT_ID, Username: 'ivan', Password: 'Passw0rd!' }));
      expect(strong.UserConfirmed).toBe(true);
    } finally {
      client.destroy();
      await strictServer.close();
    }
  });

  test('the password policy names the first rule a password breaks', () => {
    const policy = { MinimumLength: 10, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true };
    expect(passwordPolicyViolation(policy, 'Sh0rt!')).toBe('Password not long enough');
    expect(passwordPolicyViolation(policy, 'NOLOWERCASE1!')).toBe('Password must have lowercase characters');
    expect(passwordPolicyViolation(policy, 'nouppercase1!')).toBe('Password must have uppercase characters');
    expect(passwordPolicyViolation(policy, 'NoNumbersHere!')).toBe('Password must have numeric characters');
    expect(passwordPolicyViolation(policy, 'NoSymbols123')).toBe('Password must have symbol characters');
    expect(passwordPolicyViolation(policy, 'Has-Symb0ls')).toBeUndefined();
    expect(passwordPolicyViolation({ MinimumLength: 6 }, 'simple')).toBeUndefined();
  });

  test('a pool whose template sets no password policy gets Cognito\'s default one: 8 characters, every class', () => {
    expect(passwordPolicyViolation(undefined, 'Sh0rt!')).toBe('Password not long enough');
    expect(passwordPolicyViolation(undefined, 'password1!')).toBe('Password must have uppercase characters');
    expect(passwordPolicyViolation(undefined, 'Password1')).toBe('Password must have symbol characters');
    expect(passwordPolicyViolation(undefined, 'Passw0rd!')).toBeUndefined();
  });

  test('SignUp to a pool with no password policy in its template refuses what Cognito\'s default policy refuses', async () => {
    const defaults = new LocalIdentityProvider({ region: REGION, userPools: [{ userPoolId: POOL_ID, clientIds: [CLIENT_ID] }] });
    const defaultsServer = await defaults.listen();
    const client = new CognitoIdentityProviderClient({ region: REGION, endpoint: defaultsServer.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const weak = client.send(new SignUpCommand({ ClientId: CLIENT_ID, Username: 'jane', Password: 'password' }));
      await expect(weak).rejects.toBeInstanceOf(InvalidPasswordException);
      await expect(weak).rejects.toThrow('Password did not conform with policy: Password must have uppercase characters');
      const strong = await client.send(new SignUpCommand({ ClientId: CLIENT_ID, Username: 'jane', Password: 'Passw0rd!' }));
      expect(strong.UserSub).toBeDefined();
    } finally {
      client.destroy();
      await defaultsServer.close();
    }
  });

  test('refuses a pool id from which aws-jwt-verify could not derive the issuer', () => {
    expect(() => new LocalIdentityProvider({ region: REGION, userPools: [{ userPoolId: 'MyPool', clientIds: [] }] }))
      .toThrow(/must look like a Cognito pool id/);
  });

  test('refuses settings for an app client the pool does not have, naming it', () => {
    expect(() => new LocalIdentityProvider({
      region: REGION, userPools: [{ userPoolId: POOL_ID, clientIds: [CLIENT_ID], clientSettings: [{ clientId: 'typo' }] }],
    })).toThrow('clientSettings of eu-west-1_LocalPool1 names client "typo", which is not one of its clientIds');
  });
});
