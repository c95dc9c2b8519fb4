/** Signing in and staying signed in: InitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken, RevokeToken. */
import { allowsAuthFlow, AppClientSettings } from '../app-client-settings';
import { CognitoErrors } from '../cognito-error';
import { CognitoRequest, requiredParameter } from '../cognito-request';
import { IdentityState, LocalUserPool } from '../identity-state';
import { AuthenticationTokens, issueTokens } from '../token-issuer';
import { Operation } from './operation';
import { signInOutcome } from './sign-in-outcome';
import { answerPasswordVerifier, startSrpSignIn } from './srp-sign-in';

const initiateAuth: Operation = (request, state) => {
  const { pool, client } = state.poolOfClient(request.string('ClientId'));
  const flow = request.string('AuthFlow');
  const parameters = request.parameters('AuthParameters');
  if (!allowsAuthFlow(client, flow)) throw CognitoErrors.flowNotEnabled(flow);
  switch (flow) {
    case 'USER_SRP_AUTH':
      return startSrpSignIn(state, pool, client, parameters);
    case 'USER_PASSWORD_AUTH':
      return passwordSignIn(state, pool, client, parameters);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return { ChallengeParameters: {}, AuthenticationResult: refreshedTokens(state, pool, client, requiredParameter(parameters, 'REFRESH_TOKEN')) };
    default:
      throw CognitoErrors.unsupportedAuthFlow(flow);
  }
};

function passwordSignIn(state: IdentityState, pool: LocalUserPool, client: AppClientSettings, parameters: ReadonlyMap<string, string>): unknown {
  const username = requiredParameter(parameters, 'USERNAME');
  const password = requiredParameter(parameters, 'PASSWORD');
  const user = pool.directory.find(username);
  if (!user) throw client.preventUserExistenceErrors ? CognitoErrors.incorrectCredentials() : CognitoErrors.userNotFound();
  if (!pool.directory.passwordMatches(user, password)) throw CognitoErrors.incorrectCredentials();
  return signInOutcome(state, pool, client, user);
}

const respondToAuthChallenge: Operation = (request, state) => {
  const { pool, client } = state.poolOfClient(request.string('ClientId'));
  const challengeName = request.string('ChallengeName');
  const responses = request.parameters('ChallengeResponses');
  switch (challengeName) {
    case 'PASSWORD_VERIFIER':
      return answerPasswordVerifier(state, pool, client, responses);
    case 'NEW_PASSWORD_REQUIRED':
      return answerNewPasswordRequired(request, state, pool, client);
    default:
      throw CognitoErrors.invalidParameter(
        `The local identity endpoint answers the PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED challenges, not ${challengeName}`);
  }
};

/** A user created by an administrator sets a password of their own (and may fill in `userAttributes.*`). */
function answerNewPasswordRequired(request: CognitoRequest, state: IdentityState, pool: LocalUserPool, client: AppClientSettings): unknown {
  const responses = request.parameters('ChallengeResponses');
  const session = request.string('Session');
  const username = requiredParameter(responses, 'USERNAME');
  const newPassword = requiredParameter(responses, 'NEW_PASSWORD');
  // The policy before the session is used up, so the user can try another password.
  pool.directory.checkPolicy(newPassword);
  const challenge = state.challenges.take(session, client.clientId, 'NEW_PASSWORD_REQUIRED');
  const user = challenge.username === undefined ? undefined : pool.directory.find(challenge.username);
  if (!user || pool.directory.find(username) !== user || user.status !== 'FORCE_CHANGE_PASSWORD') throw CognitoErrors.invalidSession();
  for (const [name, value] of responses) {
    if (name.startsWith('userAttributes.')) pool.directory.setAttribute(user, name.slice('userAttributes.'.length), value);
  }
  pool.directory.setPassword(user, newPassword);
  user.status = 'CONFIRMED';
  return signInOutcome(state, pool, client, user);
}

/** New ID and access tokens of the same sign-in; no new refresh token, as without refresh token rotation. */
function refreshedTokens(state: IdentityState, pool: LocalUserPool, client: AppClientSettings, refreshToken: string): AuthenticationTokens {
  const signIn = state.sessions.refresh(refreshToken, client.clientId);
  const user = pool.directory.find(signIn.username);
  if (!user || user.sub !== signIn.sub) throw CognitoErrors.refreshTokenRevoked();
  return issueTokens(pool, client, user, signIn, state.clock());
}

/** Amplify v6 refreshes with this operation rather than InitiateAuth. */
const getTokensFromRefreshToken: Operation = (request, state) => {
  const { pool, client } = state.poolOfClient(request.string('ClientId'));
  return { AuthenticationResult: refreshedTokens(state, pool, client, request.string('RefreshToken')) };
};

/** Sign-out: the refresh token's sign-in ends; Cognito answers an unknown token with success too. */
const revokeToken: Operation = (request, state) => {
  const clientId = request.string('ClientId');
  state.poolOfClient(clientId);
  state.sessions.revoke(request.string('Token'), clientId);
  return {};
};

export const SIGN_IN_OPERATIONS: Record<string, Operation> = {
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  RevokeToken: revokeToken,
};
