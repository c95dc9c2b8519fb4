/**
 * USER_SRP_AUTH, the default sign-in of Amplify and amazon-cognito-identity-js: InitiateAuth answers the
 * PASSWORD_VERIFIER challenge (salt, B, a single-use SECRET_BLOCK); RespondToAuthChallenge checks the client's
 * HMAC over that block and a fresh TIMESTAMP with the key only a holder of the password can derive.
 */
import { randomBytes } from 'node:crypto';
import { AppClientSettings } from '../app-client-settings';
import { CognitoErrors } from '../cognito-error';
import { requiredParameter } from '../cognito-request';
import { IdentityState, LocalUserPool } from '../identity-state';
import { PasswordVerifierChallenge } from '../pending-challenges';
import {
  claimMatches, createPasswordVerifier, parseClientPublic, passwordClaim, sessionKey, startServerExchange,
} from '../srp-protocol';
import { parseSrpTimestamp, TIMESTAMP_TOLERANCE_MS } from '../srp-timestamp';
import { signInOutcome } from './sign-in-outcome';

export function startSrpSignIn(state: IdentityState, pool: LocalUserPool, client: AppClientSettings,
  parameters: ReadonlyMap<string, string>): unknown {
  const username = requiredParameter(parameters, 'USERNAME');
  const clientPublic = parseClientPublic(requiredParameter(parameters, 'SRP_A'));
  if (clientPublic === undefined) throw CognitoErrors.invalidParameter('SRP_A must be a hexadecimal number that is not 0 mod N');
  const user = pool.directory.find(username);
  if (!user && !client.preventUserExistenceErrors) throw CognitoErrors.userNotFound();
  // An unknown user gets a challenge like any other (a verifier of a random password), and fails at the answer.
  const userIdForSrp = user?.username ?? username;
  const credential = user?.credential ?? createPasswordVerifier(pool.directory.poolName, userIdForSrp, randomBytes(32).toString('hex'));
  const exchange = startServerExchange(clientPublic, credential.verifier);
  const secretBlock = state.challenges.add({
    name: 'PASSWORD_VERIFIER',
    userPoolId: pool.options.userPoolId,
    clientId: client.clientId,
    username: user?.username,
    userIdForSrp,
    exchange,
    verifier: credential.verifier,
  }, client.authSessionValiditySeconds);
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: credential.salt.toString(16),
      SECRET_BLOCK: secretBlock,
      SRP_B: exchange.serverPublic.toString(16),
      USERNAME: userIdForSrp,
      USER_ID_FOR_SRP: userIdForSrp,
    },
  };
}

export function answerPasswordVerifier(state: IdentityState, pool: LocalUserPool, client: AppClientSettings,
  responses: ReadonlyMap<string, string>): unknown {
  const username = requiredParameter(responses, 'USERNAME');
  const secretBlock = requiredParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requiredParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requiredParameter(responses, 'TIMESTAMP');
  // Taken before any check: whatever the answer, this challenge cannot be answered again.
  const challenge = state.challenges.take(secretBlock, client.clientId, 'PASSWORD_VERIFIER');
  const signedAt = parseSrpTimestamp(timestamp);
  if (signedAt === undefined) throw CognitoErrors.timestampFormat();
  if (Math.abs(state.clock() - signedAt) > TIMESTAMP_TOLERANCE_MS) throw CognitoErrors.incorrectCredentials();
  if (!claimIsValid(challenge, pool, secretBlock, timestamp, signature)) throw CognitoErrors.incorrectCredentials();
  const user = challenge.username === undefined ? undefined : pool.directory.find(challenge.username);
  // The user must still be the one challenged, with the same password (not changed or recreated in between).
  if (!user || user.credential.verifier !== challenge.verifier || pool.directory.find(username) !== user) {
    throw CognitoErrors.incorrectCredentials();
  }
  return signInOutcome(state, pool, client, user);
}

function claimIsValid(challenge: PasswordVerifierChallenge, pool: LocalUserPool, secretBlock: string, timestamp: string, signature: string): boolean {
  const key = sessionKey(challenge.exchange, challenge.verifier);
  if (!key) return false;
  const expected = passwordClaim(key, pool.directory.poolName, challenge.userIdForSrp, Buffer.from(secretBlock, 'base64'), timestamp);
  return claimMatches(expected, signature);
}
