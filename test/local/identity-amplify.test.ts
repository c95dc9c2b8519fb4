import { Amplify } from 'aws-amplify';
import {
  confirmResetPassword, confirmSignUp, fetchAuthSession, fetchUserAttributes, getCurrentUser, resetPassword, signIn, signOut, signUp,
} from 'aws-amplify/auth';
import { CLIENT_ID, IdentityFixture, jwtClaims, PASSWORD, POOL_ID, startIdentity, tokenVerifier } from './local-identity-fixture';
import { startTamperingProxy, TamperingProxy } from './tampering-proxy';

/** Amplify's error for a call that must fail: its `name` is Cognito's `__type`. */
async function failure(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

describe('Amplify v6 against the local identity endpoint, with only userPoolEndpoint set', () => {
  let identity: IdentityFixture;
  /** Records what Amplify sends, so a test can read the refresh token it revoked. */
  let recorder: TamperingProxy;

  beforeAll(async () => {
    identity = await startIdentity();
    recorder = await startTamperingProxy(identity.endpoint);
    // What the sample's frontend configures, plus the one setting that points it here.
    Amplify.configure({ Auth: { Cognito: { userPoolId: POOL_ID, userPoolClientId: CLIENT_ID, userPoolEndpoint: recorder.endpoint } } });
  });

  afterEach(async () => {
    // Amplify keeps one signed-in user per process: leave none behind for the next test.
    await signOut().catch(() => undefined);
  });

  afterAll(async () => {
    await recorder.close();
    await identity.close();
  });

  test('signUp, confirmSignUp with the code the endpoint sent, then signIn with SRP (Amplify\'s default flow)', async () => {
    // GIVEN a user who signed up
    const registered = await signUp({ username: 'amy', password: PASSWORD, options: { userAttributes: { email: 'amy@example.com' } } });
    expect(registered.isSignUpComplete).toBe(false);
    expect(registered.nextStep).toMatchObject({ signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'a***@e***' } });

    // WHEN she confirms with the code and signs in
    const confirmed = await confirmSignUp({ username: 'amy', confirmationCode: identity.codeFor('amy', 'SIGN_UP') });
    expect(confirmed.isSignUpComplete).toBe(true);
    const signedIn = await signIn({ username: 'amy', password: PASSWORD });

    // THEN she is signed in, with an ID token of the pool and her attributes readable
    expect(signedIn).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(identity.codes.map((code) => code.purpose)).toEqual(['SIGN_UP']);
    const session = await fetchAuthSession();
    const verifier = tokenVerifier(identity.provider, 'id');
    expect(await verifier.verify(session.tokens!.idToken!.toString())).toMatchObject({ 'cognito:username': 'amy', 'sub': registered.userId });
    expect(await getCurrentUser()).toMatchObject({ username: 'amy', userId: registered.userId });
    expect(await fetchUserAttributes()).toMatchObject({ email: 'amy@example.com', email_verified: 'true', sub: registered.userId });
  });

  test('a wrong password is NotAuthorizedException with Cognito\'s message', async () => {
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'ben', password: PASSWORD });
    const error = await failure(signIn({ username: 'ben', password: 'Wrong-password-1' }));
    expect([error.name, error.message]).toEqual(['NotAuthorizedException', 'Incorrect username or password.']);
  });

  test('resetPassword sends a code; confirmResetPassword with it sets the password the next signIn uses', async () => {
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'cat', password: PASSWORD, email: 'cat@example.com' });
    const reset = await resetPassword({ username: 'cat' });
    expect(reset.nextStep.resetPasswordStep).toBe('CONFIRM_RESET_PASSWORD_WITH_CODE');
    await confirmResetPassword({ username: 'cat', confirmationCode: identity.codeFor('cat', 'FORGOT_PASSWORD'), newPassword: 'Brand-new-pass-2' });
    expect((await failure(signIn({ username: 'cat', password: PASSWORD }))).name).toBe('NotAuthorizedException');
    expect(await signIn({ username: 'cat', password: 'Brand-new-pass-2' })).toMatchObject({ isSignedIn: true });
  });

  test('fetchAuthSession({ forceRefresh }) refreshes the tokens of the same sign-in; after signOut the refresh token is revoked', async () => {
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'dan', password: PASSWORD });
    await signIn({ username: 'dan', password: PASSWORD });
    const first = await fetchAuthSession();
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    const [before, after] = [first, refreshed].map((session) => jwtClaims(session.tokens!.accessToken.toString()));
    expect(after.jti).not.toBe(before.jti);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(recorder.forwarded.map((request) => request.operation)).toContain('GetTokensFromRefreshToken');

    await signOut();
    // Amplify revoked the refresh token it held (RevokeToken) on sign-out: it no longer refreshes.
    const revoked = recorder.forwarded.filter((request) => request.operation === 'RevokeToken').pop()!.body.Token;
    const refresh = await fetch(identity.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: revoked } }),
    });
    expect(await refresh.json()).toEqual({ __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });

  test('signOut({ global: true }) revokes every sign-in of the user', async () => {
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'eve', password: PASSWORD });
    await signIn({ username: 'eve', password: PASSWORD });
    const { tokens } = await fetchAuthSession();
    await signOut({ global: true });
    const getUser = await fetch(identity.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' },
      body: JSON.stringify({ AccessToken: tokens!.accessToken.toString() }),
    });
    expect(await getUser.json()).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });
});
