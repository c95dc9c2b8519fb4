/** Forgotten passwords: ForgotPassword sends a code (valid one hour) to the verified email; ConfirmForgotPassword uses it. */
import { CognitoErrors } from '../cognito-error';
import { deliverCode, DECOY_DELIVERY } from './deliver-code';
import { Operation } from './operation';

const forgotPassword: Operation = (request, state) => {
  const { pool, client } = state.poolOfClient(request.string('ClientId'));
  const user = pool.directory.find(request.string('Username'));
  if (!user) {
    if (client.preventUserExistenceErrors) return { CodeDeliveryDetails: DECOY_DELIVERY };
    throw CognitoErrors.usernameClientNotFound();
  }
  // Cognito sends a recovery code only to a verified address.
  if (user.attributes.get('email_verified') !== 'true') throw CognitoErrors.noRecoveryDestination();
  return { CodeDeliveryDetails: deliverCode(state, pool, user, 'FORGOT_PASSWORD') };
};

const confirmForgotPassword: Operation = (request, state) => {
  const { pool, client } = state.poolOfClient(request.string('ClientId'));
  const username = request.string('Username');
  const code = request.string('ConfirmationCode');
  const password = request.string('Password');
  const user = pool.directory.find(username);
  if (!user) throw client.preventUserExistenceErrors ? CognitoErrors.codeMismatch() : CognitoErrors.usernameClientNotFound();
  // The policy first: a refused password must not use up the code.
  pool.directory.checkPolicy(password);
  state.codes.consume(pool.options.userPoolId, user.username, 'FORGOT_PASSWORD', 'email', code);
  pool.directory.setPassword(user, password);
  if (user.status === 'RESET_REQUIRED' || user.status === 'FORCE_CHANGE_PASSWORD') user.status = 'CONFIRMED';
  return {};
};

export const PASSWORD_RECOVERY_OPERATIONS: Record<string, Operation> = {
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
};
