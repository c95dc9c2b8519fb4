import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  AdminAddUserToGroupCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, ListGroupsCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn as amplifySignIn, signOut as amplifySignOut } from 'aws-amplify/auth';
import { authenticate, user, userPool } from './cognito-identity-js-client';
import { synthesizeRequiredGroupsApp } from './fixtures/required-groups-app';
import { jwtClaims } from './local-identity-fixture';
import { connect } from './websocket-test-client';
import { CodeDelivery } from '../../local/identity';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

const PASSWORD = 'Correct-horse-1';

/**
 * The local runtime serving an API with `requiredGroups: ['members']`: each Cognito client signs in to its identity
 * endpoint with only the endpoint changed, and the token it gets opens (or, outside the group, is refused) a
 * WebSocket connection through the construct's own authorizer.
 */
describe('signing in to the local runtime with each Cognito client, then connecting to an API that requires a group', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'identity-e2e-'));
  const codes: CodeDelivery[] = [];
  let runtime: LocalRuntime;
  let sdk: CognitoIdentityProviderClient;

  const status = async (idToken: string) => {
    const { socket, status: refused } = await connect(`${runtime.websocketUrl}?idToken=${idToken}`);
    socket?.close();
    return socket ? 101 : refused;
  };
  const passwordSignIn = async (username: string, password = PASSWORD) => (await sdk.send(new InitiateAuthCommand({
    ClientId: runtime.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
  }))).AuthenticationResult!;

  beforeAll(async () => {
    synthesizeRequiredGroupsApp(assembly);
    runtime = await startLocalRuntime({
      cloudAssembly: assembly,
      onCode: (delivery) => codes.push(delivery),
      users: [{ username: 'member', password: PASSWORD, email: 'member@example.com', groups: ['members'] }],
      onHandlerLog: () => undefined,
    });
    sdk = new CognitoIdentityProviderClient({
      region: runtime.region, endpoint: runtime.cognitoEndpoint, credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    });
  });

  afterAll(async () => {
    sdk?.destroy();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  test('the template\'s group and the API\'s required group both exist, and the demo user is in the required one', async () => {
    const groups = await sdk.send(new ListGroupsCommand({ UserPoolId: runtime.userPoolId }));
    expect(groups.Groups!.map((group) => group.GroupName).sort()).toEqual(['admins', 'members']);
    expect(runtime.demoUser).toMatchObject({ username: 'demo', groups: ['members'] });
    expect(await status((await passwordSignIn('demo', runtime.demoUser!.password)).IdToken!)).toBe(101);
  });

  test('SDK: a user who signed up and confirmed with the printed code is refused (403) until added to the group', async () => {
    // GIVEN a new user, confirmed with the code the runtime reported
    await sdk.send(new SignUpCommand({
      ClientId: runtime.userPoolClientId, Username: 'newcomer', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'newcomer@example.com' }],
    }));
    const code = codes.find((delivery) => delivery.username === 'newcomer' && delivery.purpose === 'SIGN_UP')!.code;
    await sdk.send(new ConfirmSignUpCommand({ ClientId: runtime.userPoolClientId, Username: 'newcomer', ConfirmationCode: code }));

    // WHEN they connect outside the group THEN the authorizer refuses them
    const outside = await passwordSignIn('newcomer');
    expect(jwtClaims(outside.IdToken!)).not.toHaveProperty('cognito:groups');
    expect(await status(outside.IdToken!)).toBe(403);

    // WHEN an administrator adds them to the group and they sign in again THEN they connect
    await sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: runtime.userPoolId, Username: 'newcomer', GroupName: 'members' }));
    const inside = await passwordSignIn('newcomer');
    expect(jwtClaims(inside.IdToken!)['cognito:groups']).toEqual(['members']);
    expect(await status(inside.IdToken!)).toBe(101);
  });

  test('the tokens live as long as the template\'s app client says (ID 30 minutes, access 20 minutes)', async () => {
    const tokens = await passwordSignIn('member');
    const [id, access] = [tokens.IdToken!, tokens.AccessToken!].map(jwtClaims);
    expect([Number(id.exp) - Number(id.iat), Number(access.exp) - Number(access.iat), tokens.ExpiresIn]).toEqual([1800, 1200, 1200]);
  });

  test('amazon-cognito-identity-js: SRP sign-in of a seeded member, whose ID token connects', async () => {
    const session = await authenticate(user(userPool(runtime.cognitoEndpoint, runtime.userPoolId!, runtime.userPoolClientId!), 'member'), PASSWORD);
    expect(await status(session.getIdToken().getJwtToken())).toBe(101);
  });

  test('Amplify v6: SRP sign-in of a seeded member, whose ID token connects', async () => {
    Amplify.configure({
      Auth: { Cognito: { userPoolId: runtime.userPoolId!, userPoolClientId: runtime.userPoolClientId!, userPoolEndpoint: runtime.cognitoEndpoint } },
    });
    try {
      await amplifySignIn({ username: 'member', password: PASSWORD });
      const { tokens } = await fetchAuthSession();
      expect(await status(tokens!.idToken!.toString())).toBe(101);
    } finally {
      await amplifySignOut();
    }
  });
});
