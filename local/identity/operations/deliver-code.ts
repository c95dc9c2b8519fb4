import { CognitoErrors } from '../cognito-error';
import { IdentityState, LocalUserPool } from '../identity-state';
import { LocalUser } from '../user-directory';
import { CodeDeliveryDetails, CodePurpose } from '../verification-codes';

/**
 * Sends a code to the user's email address (hands it to the endpoint's delivery callback). Email is the one
 * medium here: the construct's pools verify email, and no SMS can be emulated faithfully.
 */
export function deliverCode(state: IdentityState, pool: LocalUserPool, user: LocalUser, purpose: CodePurpose): CodeDeliveryDetails {
  const email = user.attributes.get('email');
  if (email === undefined) throw CognitoErrors.noRecoveryDestination();
  return state.codes.issue({ userPoolId: pool.options.userPoolId, username: user.username, purpose, attributeName: 'email', destination: email });
}

/** What Cognito answers instead of UserNotFoundException when the client prevents user existence errors. */
export const DECOY_DELIVERY: CodeDeliveryDetails = { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'u***@e***' };
