import {
  authenticate, CognitoLibraryError, confirmPassword, confirmRegistration, forgotPassword, getUserAttributes, globalSignOut,
  refreshSession, signOut, signUp, user, userPool,
} from './cognito-identity-js-client';
import { CLIENT_ID, IdentityFixture, jwtClaims, PASSWORD, POOL_ID, startIdentity, tokenVerifier } from './local-identity-fixture';

/** The library's error for a call that must fail: its `code` is Cognito's `__type`. */
async function failure(call: Promise<unknown>): Promise<CognitoLibraryError> {
  try {
    await call;
  } catch (error) {
    return error as CognitoLibraryError;
  }
  throw new Error('the call succeeded');
}

describe('amazon-cognito-identity-js against the local identity endpoint, endpoint changed only', () => {
  let identity: IdentityFixture;

  beforeEach(async () => {
    identity = await startIdentity();
  });

  afterEach(async () => {
    await identity.close();
  });

  test('signs up, confirms with the code the endpoint sent, and signs in with SRP to tokens aws-jwt-verify accepts', async () => {
    // GIVEN a user who signed up
    const pool = userPool(identity.endpoint, POOL_ID, CLIENT_ID);
    const result = await signUp(pool, 'alice', PASSWORD, 'alice@example.com');
    expect(result.userConfirmed).toBe(false);
    expect(result.codeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'a***@e***' });
    expect(identity.codes).toEqual([expect.objectContaining({ username: 'alice', purpose: 'SIGN_UP', destination: 'alice@example.com' })]);
    expect(identity.codes[0].code).toMatch(/^\d{6}$/);

    // WHEN she confirms with the code and signs in (the library's default flow is USER_SRP_AUTH)
    const alice = user(pool, 'alice');
    await confirmRegistration(alice, identity.codeFor('alice', 'SIGN_UP'));
    const session = await authenticate(alice, PASSWORD);

    // THEN the ID token is the pool's, for this client, with her verified email
    const verifier = tokenVerifier(identity.provider, 'id');
    const claims = await verifier.verify(session.getIdToken().getJwtToken());
    expect(claims).toMatchObject({ 'sub': result.userSub, 'cognito:username': 'alice', 'email': 'alice@example.com', 'email_verified': true });
    expect(await getUserAttributes(alice)).toMatchObject({ sub: result.userSub, email: 'alice@example.com', email_verified: 'true' });
  });

  test('a wrong password fails the SRP proof with NotAuthorizedException and Cognito\'s message', async () => {
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'bob', password: PASSWORD });
    const error = await failure(authenticate(user(userPool(identity.endpoint, POOL_ID, CLIENT_ID), 'bob'), 'Wrong-password-1'));
    expect(error.code).toBe('NotAuthorizedException');
    expect(error.message).toBe('Incorrect username or password.');
  });

  test('an unconfirmed user who knows the password gets UserNotConfirmedException; a wrong code CodeMismatchException', async () => {
    const pool = userPool(identity.endpoint, POOL_ID, CLIENT_ID);
    await signUp(pool, 'carol', PASSWORD, 'carol@example.com');
    const carol = user(pool, 'carol');
    expect((await failure(authenticate(carol, PASSWORD))).code).toBe('UserNotConfirmedException');
    const sent = identity.codeFor('carol', 'SIGN_UP');
    const wrong = sent === '000000' ? '000001' : '000000';
    const mismatch = await failure(confirmRegistration(carol, wrong));
    expect(mismatch.code).toBe('CodeMismatchException');
    expect(mismatch.message).toBe('Invalid verification code provided, please try again.');
  });

  test('forgot password: the code sent to the verified email sets a new password, and only the new one signs in', async () => {
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'dave', password: PASSWORD, email: 'dave@example.com' });
    const dave = user(userPool(identity.endpoint, POOL_ID, CLIENT_ID), 'dave');
    await forgotPassword(dave);
    await confirmPassword(dave, identity.codeFor('dave', 'FORGOT_PASSWORD'), 'Another-pass-2');
    expect((await failure(authenticate(dave, PASSWORD))).code).toBe('NotAuthorizedException');
    await authenticate(dave, 'Another-pass-2');
    // AND the code was single-use
    const reused = await failure(confirmPassword(dave, identity.codeFor('dave', 'FORGOT_PASSWORD'), 'Third-pass-3'));
    expect(reused.code).toBe('ExpiredCodeException');
  });

  test('refreshes the session, and after sign-out (RevokeToken) the refresh token is refused', async () => {
    const { sub } = identity.provider.createUser({ userPoolId: POOL_ID, username: 'erin', password: PASSWORD });
    const erin = user(userPool(identity.endpoint, POOL_ID, CLIENT_ID), 'erin');
    const session = await authenticate(erin, PASSWORD);
    const refreshed = await refreshSession(erin, session);
    const originJti = jwtClaims(session.getIdToken().getJwtToken()).origin_jti;
    expect(jwtClaims(refreshed.getIdToken().getJwtToken())).toMatchObject({ sub, origin_jti: originJti });

    await signOut(erin);
    const error = await failure(refreshSession(erin, session));
    expect(error.code).toBe('NotAuthorizedException');
    expect(error.message).toBe('Refresh Token has been revoked');
  });

  test('global sign-out revokes the refresh token and the access token for Cognito\'s API', async () => {
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'frank', password: PASSWORD });
    const frank = user(userPool(identity.endpoint, POOL_ID, CLIENT_ID), 'frank');
    const session = await authenticate(frank, PASSWORD);
    await globalSignOut(frank);
    expect((await failure(refreshSession(frank, session))).message).toBe('Refresh Token has been revoked');
    // The library keeps no session after a global sign-out; a fresh sign-in works again.
    await authenticate(frank, PASSWORD);
  });

  test('signs in with a verified email alias; USER_ID_FOR_SRP is the username the proof is computed with', async () => {
    const { sub } = identity.provider.createUser({ userPoolId: POOL_ID, username: 'gina', password: PASSWORD, email: 'gina@example.com' });
    const session = await authenticate(user(userPool(identity.endpoint, POOL_ID, CLIENT_ID), 'gina@example.com'), PASSWORD);
    expect(jwtClaims(session.getIdToken().getJwtToken())).toMatchObject({ 'sub': sub, 'cognito:username': 'gina' });
  });
});
