// Cognito's InitiateAuth over its public JSON API, as a browser can call it without the AWS SDK:
// USER_SRP_AUTH to sign in (the password never leaves the page), REFRESH_TOKEN_AUTH for a fresh ID
// token after a drop. The same calls work against real Cognito (https://cognito-idp.<region>.amazonaws.com/)
// and against the local runtime's identity endpoint.
import { passwordVerifierResponses, startSrp } from './cognito-srp.js';

/** An error Cognito returned: `type` is its `__type` (e.g. NotAuthorizedException). */
export class CognitoError extends Error {
  constructor(type, message) {
    super(message);
    this.name = 'CognitoError';
    this.type = type;
  }
}

/** Cognito's endpoint in the region of the user pool (the part of its id before the underscore). */
export function defaultCognitoEndpoint(userPoolId) {
  return `https://cognito-idp.${userPoolId.split('_')[0]}.amazonaws.com/`;
}

async function callCognito(endpoint, operation, body) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new CognitoError('NetworkError', `cannot reach the sign-in endpoint ${endpoint}`);
  }
  const result = await response.json().catch(() => ({}));
  if (!response.ok) {
    // __type may carry a namespace prefix ("com.amazonaws...#NotAuthorizedException").
    const type = String(result.__type ?? 'UnknownError').split('#').pop();
    throw new CognitoError(type, result.message ?? result.Message ?? `${operation} failed (HTTP ${response.status})`);
  }
  return result;
}

function authenticationResult(result) {
  if (!result.AuthenticationResult) {
    throw new CognitoError('ChallengeNotSupported', `this page cannot answer the ${result.ChallengeName} challenge`);
  }
  return result.AuthenticationResult;
}

async function initiateAuth(endpoint, body) {
  return authenticationResult(await callCognito(endpoint, 'InitiateAuth', body));
}

/** Seconds since the epoch at which a JWT expires, from its payload (no verification: the server verifies). */
export function tokenExpiry(jwt) {
  const payload = jwt.split('.')[1] ?? '';
  try {
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).exp ?? 0;
  } catch {
    return 0;
  }
}

/** When the sooner of the ID and access tokens expires, epoch seconds. */
function sessionExpiry(result) {
  return Math.min(tokenExpiry(result.IdToken), tokenExpiry(result.AccessToken));
}

/** Signs in with username and password by SRP; returns `{ idToken, accessToken, refreshToken, expiresAt }`. */
export async function signIn({ endpoint, clientId, userPoolId, username, password }) {
  const srp = startSrp();
  const challenge = await callCognito(endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, SRP_A: srp.srpA },
  });
  if (challenge.ChallengeName !== 'PASSWORD_VERIFIER') authenticationResult(challenge);
  const challengeResponses = await passwordVerifierResponses({
    userPoolId, password, challengeParameters: challenge.ChallengeParameters, srp,
  });
  const result = authenticationResult(await callCognito(endpoint, 'RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER',
    ClientId: clientId,
    ChallengeResponses: challengeResponses,
  }));
  return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken, expiresAt: sessionExpiry(result) };
}

/**
 * A fresh ID token for the same sign-in. Cognito returns a new refresh token only when the app client
 * rotates refresh tokens; then the old one stops working, so keep whichever is newest.
 */
export async function refreshSession({ endpoint, clientId }, session) {
  const result = await initiateAuth(endpoint, {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: clientId,
    AuthParameters: { REFRESH_TOKEN: session.refreshToken },
  });
  return {
    idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken ?? session.refreshToken, expiresAt: sessionExpiry(result),
  };
}

/** Sign-out: revokes the refresh token, so a copy of the session cannot mint new tokens. */
export async function revokeSession({ endpoint, clientId }, session) {
  await callCognito(endpoint, 'RevokeToken', { ClientId: clientId, Token: session.refreshToken });
}
