import {
  AdminConfirmSignUpCommand, CognitoIdentityProviderClient, InitiateAuthCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { Jwks } from 'aws-jwt-verify/jwk';
import { LocalIdentityProvider } from '../../local/identity';

/** What a client needs of the local runtime to sign in: both `LocalRuntime` and the CLI's endpoints line have it. */
export interface LocalCognitoEndpoints {
  readonly region: string;
  readonly cognitoEndpoint: string;
  readonly userPoolId?: string;
  readonly userPoolClientId?: string;
}

/** The password of every user `signUpAndSignIn` creates; satisfies Cognito's default policy, which SignUp enforces. */
export const TEST_USER_PASSWORD = 'Correct-horse-1';
const PASSWORD = TEST_USER_PASSWORD;

/** Signs in through the local Cognito-compatible endpoint with the AWS SDK, as a web client does; returns the ID token. */
export async function signIn(endpoints: LocalCognitoEndpoints, username: string, password: string): Promise<string> {
  const cognito = cognitoClient(endpoints);
  try {
    const auth = await cognito.send(new InitiateAuthCommand({
      ClientId: endpoints.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
    }));
    return auth.AuthenticationResult!.IdToken!;
  } finally {
    cognito.destroy();
  }
}

/**
 * Signs up a new user with an email address, confirms them as an administrator would (AdminConfirmSignUp: the
 * runtime does not auto-confirm), then signs in; returns the ID token.
 */
export async function signUpAndSignIn(endpoints: LocalCognitoEndpoints, username: string): Promise<string> {
  const cognito = cognitoClient(endpoints);
  try {
    await cognito.send(new SignUpCommand({
      ClientId: endpoints.userPoolClientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }));
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: endpoints.userPoolId, Username: username }));
  } finally {
    cognito.destroy();
  }
  return signIn(endpoints, username, PASSWORD);
}

function cognitoClient(endpoints: LocalCognitoEndpoints): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: endpoints.region, endpoint: endpoints.cognitoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * An ID token of another user pool, as real as ours: signed in through that pool's own Cognito-compatible
 * endpoint, signed with that pool's key, and checked to verify against that pool's JWKS before it is returned.
 */
export async function signInToAnotherPool(region: string): Promise<string> {
  const userPoolId = `${region}_AnotherPool1`;
  const clientId = 'anotherpoolclient';
  const provider = new LocalIdentityProvider({ region, userPools: [{ userPoolId, clientIds: [clientId] }] });
  provider.createUser({ userPoolId, username: 'outsider', password: PASSWORD });
  const server = await provider.listen();
  try {
    const idToken = await signIn({ region, cognitoEndpoint: server.endpoint, userPoolClientId: clientId }, 'outsider', PASSWORD);
    const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' });
    verifier.cacheJwks(provider.jwks(userPoolId) as unknown as Jwks);
    await verifier.verify(idToken);
    return idToken;
  } finally {
    await server.close();
  }
}
