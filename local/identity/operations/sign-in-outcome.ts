import { AppClientSettings } from '../app-client-settings';
import { CognitoErrors } from '../cognito-error';
import { IdentityState, LocalUserPool } from '../identity-state';
import { LocalUser } from '../user-directory';

/**
 * What a sign-in returns once the password is proven (by USER_PASSWORD_AUTH or SRP), as Cognito decides it
 * from the user's status: tokens, a NEW_PASSWORD_REQUIRED challenge for a user an administrator created with a
 * temporary password, or the error of an unconfirmed user or one whose password must be reset.
 */
export function signInOutcome(state: IdentityState, pool: LocalUserPool, client: AppClientSettings, user: LocalUser): unknown {
  switch (user.status) {
    case 'UNCONFIRMED':
      throw CognitoErrors.userNotConfirmed();
    case 'RESET_REQUIRED':
      throw CognitoErrors.passwordResetRequired();
    case 'FORCE_CHANGE_PASSWORD': {
      const session = state.challenges.add({
        name: 'NEW_PASSWORD_REQUIRED', userPoolId: pool.options.userPoolId, clientId: client.clientId, username: user.username, userIdForSrp: user.username,
      }, client.authSessionValiditySeconds);
      const userAttributes = Object.fromEntries([...user.attributes].filter(([name]) => name !== 'sub'));
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: '[]', userAttributes: JSON.stringify(userAttributes) },
      };
    }
    case 'CONFIRMED':
      return { ChallengeParameters: {}, AuthenticationResult: state.completeSignIn(pool, client, user) };
  }
}
