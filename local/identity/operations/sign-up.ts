/** Self sign-up and its confirmation: SignUp, ConfirmSignUp, ResendConfirmationCode. */
import { CognitoErrors } from '../cognito-error';
import { deliverCode, DECOY_DELIVERY } from './deliver-code';
import { Operation } from './operation';

/** Attributes only Cognito sets: a client that sends them at sign-up has them ignored. */
const READ_ONLY_ATTRIBUTES = new Set(['sub', 'email_verified', 'phone_number_verified']);

/**
 * Unconfirmed, with a code sent to the email address when the pool auto-verifies email, as in Cognito; or
 * confirmed at once when the endpoint auto-confirms (as a pre-sign-up trigger that auto-confirms would).
 */
const signUp: Operation = (request, state) => {
  const { pool } = state.poolOfClient(request.string('ClientId'));
  const username = request.string('Username');
  const password = request.string('Password');
  pool.directory.checkPolicy(password);
  const attributes = new Map([...request.attributes('UserAttributes')].filter(([name]) => !READ_ONLY_ATTRIBUTES.has(name)));
  const autoConfirm = state.autoConfirmSignUp;
  const user = pool.directory.addUser({ username, password, attributes, status: autoConfirm ? 'CONFIRMED' : 'UNCONFIRMED' });
  user.autoConfirmed = autoConfirm;
  if (user.attributes.has('email')) {
    user.attributes.set('email_verified', String(autoConfirm && pool.options.autoVerifyEmail === true));
  }
  const sendsCode = !autoConfirm && pool.options.autoVerifyEmail === true && user.attributes.has('email');
  return {
    UserConfirmed: user.status === 'CONFIRMED',
    UserSub: user.sub,
    ...(sendsCode ? { CodeDeliveryDetails: deliverCode(state, pool, user, 'SIGN_UP') } : {}),
  };
};

/** The code confirms the user and, since it reached the email address, verifies it. */
const confirmSignUp: Operation = (request, state) => {
  const { pool, client } = state.poolOfClient(request.string('ClientId'));
  const username = request.string('Username');
  const code = request.string('ConfirmationCode');
  const user = pool.directory.find(username);
  if (!user) throw client.preventUserExistenceErrors ? CognitoErrors.codeMismatch() : CognitoErrors.usernameClientNotFound();
  if (user.status !== 'UNCONFIRMED') {
    // A client written for Cognito's code flow still works against an endpoint that auto-confirmed its user.
    if (user.autoConfirmed) return {};
    throw CognitoErrors.cannotConfirm(user.status);
  }
  state.codes.consume(pool.options.userPoolId, user.username, 'SIGN_UP', 'email', code);
  user.status = 'CONFIRMED';
  pool.directory.setAttribute(user, 'email_verified', 'true');
  return {};
};

const resendConfirmationCode: Operation = (request, state) => {
  const { pool, client } = state.poolOfClient(request.string('ClientId'));
  const user = pool.directory.find(request.string('Username'));
  if (!user) {
    if (client.preventUserExistenceErrors) return { CodeDeliveryDetails: DECOY_DELIVERY };
    throw CognitoErrors.usernameClientNotFound();
  }
  if (user.status !== 'UNCONFIRMED') throw CognitoErrors.alreadyConfirmed();
  if (pool.options.autoVerifyEmail !== true) throw CognitoErrors.invalidParameter('Auto verification not turned on.');
  return { CodeDeliveryDetails: deliverCode(state, pool, user, 'SIGN_UP') };
};

export const SIGN_UP_OPERATIONS: Record<string, Operation> = {
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
};
