import { InitiateAuthCommand, InvalidParameterException } from '@aws-sdk/client-cognito-identity-provider';
import { authenticate, CognitoLibraryError, user, userPool } from './cognito-identity-js-client';
import { CLIENT_ID, IdentityFixture, PASSWORD, POOL_ID, startIdentity } from './local-identity-fixture';
import { startTamperingProxy, TamperingProxy } from './tampering-proxy';
import { SRP_N } from '../../local/identity/srp-protocol';

/** The RFC 5054 group's prime, as a client would write A = N (which is 0 mod N). */
const N_HEX = SRP_N.toString(16);

async function failure(call: Promise<unknown>): Promise<CognitoLibraryError> {
  try {
    await call;
  } catch (error) {
    return error as CognitoLibraryError;
  }
  throw new Error('the call succeeded');
}

function responses(body: Record<string, unknown>): Record<string, string> {
  return body.ChallengeResponses as Record<string, string>;
}

describe('USER_SRP_AUTH: the endpoint checks the PASSWORD_VERIFIER proof of a real client, and refuses any other', () => {
  let identity: IdentityFixture;
  let proxy: TamperingProxy;
  /** How far the endpoint's clock runs ahead of this machine's. */
  let clockSkewMs = 0;

  beforeEach(async () => {
    clockSkewMs = 0;
    identity = await startIdentity({ clock: () => Date.now() + clockSkewMs });
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'sam', password: PASSWORD, email: 'sam@example.com' });
    proxy = await startTamperingProxy(identity.endpoint);
  });

  afterEach(async () => {
    await proxy.close();
    await identity.close();
  });

  const signInThroughProxy = (password = PASSWORD) => authenticate(user(userPool(proxy.endpoint, POOL_ID, CLIENT_ID), 'sam'), password);

  test('GIVEN an untouched exchange THEN the client signs in, after InitiateAuth answered with Cognito\'s challenge parameters', async () => {
    const session = await signInThroughProxy();
    expect(session.isValid()).toBe(true);
    expect(proxy.forwarded.map((request) => request.operation)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(proxy.forwarded[0].body).toMatchObject({ AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'sam', SRP_A: expect.any(String) } });
    expect(Object.keys(responses(proxy.forwarded[1].body)).sort()).toEqual(['PASSWORD_CLAIM_SECRET_BLOCK', 'PASSWORD_CLAIM_SIGNATURE', 'TIMESTAMP', 'USERNAME']);

    const challenge = await identity.sdk.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'sam', SRP_A: '2' },
    }));
    expect(challenge.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(challenge.ChallengeParameters).toEqual({
      SALT: expect.stringMatching(/^[0-9a-f]+$/),
      SECRET_BLOCK: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      SRP_B: expect.stringMatching(/^[0-9a-f]+$/),
      USERNAME: 'sam',
      USER_ID_FOR_SRP: 'sam',
    });
  });

  test('WHEN one byte of PASSWORD_CLAIM_SIGNATURE is changed THEN NotAuthorizedException "Incorrect username or password."', async () => {
    proxy.rewrite = (operation, body) => {
      if (operation !== 'RespondToAuthChallenge') return body;
      const signature = Buffer.from(responses(body).PASSWORD_CLAIM_SIGNATURE, 'base64');
      signature[0] = signature[0] === 0 ? 1 : 0;
      return { ...body, ChallengeResponses: { ...responses(body), PASSWORD_CLAIM_SIGNATURE: signature.toString('base64') } };
    };
    const error = await failure(signInThroughProxy());
    expect([error.code, error.message]).toEqual(['NotAuthorizedException', 'Incorrect username or password.']);
  });

  test('WHEN the claim is signed at a time 10 minutes away from the endpoint\'s clock THEN it is refused', async () => {
    clockSkewMs = 10 * 60 * 1000;
    const error = await failure(signInThroughProxy());
    expect([error.code, error.message]).toEqual(['NotAuthorizedException', 'Incorrect username or password.']);
  });

  test('WHEN the TIMESTAMP is not in Cognito\'s format THEN InvalidParameterException with Cognito\'s message', async () => {
    proxy.rewrite = (operation, body) => operation !== 'RespondToAuthChallenge' ? body
      : { ...body, ChallengeResponses: { ...responses(body), TIMESTAMP: new Date().toISOString() } };
    const error = await failure(signInThroughProxy());
    expect([error.code, error.message]).toEqual(['InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.']);
  });

  test('WHEN a successful answer is sent again THEN the challenge is spent: NotAuthorizedException', async () => {
    await signInThroughProxy();
    const answer = proxy.forwarded.find((request) => request.operation === 'RespondToAuthChallenge')!;
    const replay = await fetch(identity.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.RespondToAuthChallenge' },
      body: JSON.stringify(answer.body),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  test('WHEN the answer comes after the client\'s auth session validity (3 minutes) THEN the session has expired', async () => {
    proxy.rewrite = (operation, body) => {
      // The endpoint's clock jumps 4 minutes between challenge and answer: within the TIMESTAMP tolerance, past the session.
      if (operation === 'RespondToAuthChallenge') clockSkewMs = 4 * 60 * 1000;
      return body;
    };
    const error = await failure(signInThroughProxy());
    expect([error.code, error.message]).toEqual(['NotAuthorizedException', 'Invalid session for the user, session is expired.']);
  });

  test.each([
    ['0', '0'],
    ['N', N_HEX],
    ['2N', (SRP_N * 2n).toString(16)],
  ])('WHEN SRP_A is %s (0 mod N, which would fix the session key for any password) THEN InvalidParameterException', async (_name, srpA) => {
    const challenge = identity.sdk.send(new InitiateAuthCommand({
      ClientId: CLIENT_ID, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'sam', SRP_A: srpA },
    }));
    await expect(challenge).rejects.toBeInstanceOf(InvalidParameterException);
  });

  test('WHEN the answer names another user than the one challenged THEN it is refused', async () => {
    identity.provider.createUser({ userPoolId: POOL_ID, username: 'tom', password: PASSWORD });
    proxy.rewrite = (operation, body) => operation !== 'RespondToAuthChallenge' ? body
      : { ...body, ChallengeResponses: { ...responses(body), USERNAME: 'tom' } };
    const error = await failure(signInThroughProxy());
    expect(error.code).toBe('NotAuthorizedException');
  });

  test('WHEN the password is wrong THEN the proof fails, and the endpoint never saw the password', async () => {
    const error = await failure(signInThroughProxy('Wrong-password-1'));
    expect(error.code).toBe('NotAuthorizedException');
    expect(JSON.stringify(proxy.forwarded)).not.toContain('Wrong-password-1');
  });
});
