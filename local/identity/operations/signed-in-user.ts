/**
 * What a signed-in user does with their access token: GetUser, ChangePassword, UpdateUserAttributes (a changed
 * email is unverified until its code comes back: VerifyUserAttribute), GetUserAttributeVerificationCode,
 * GlobalSignOut, DeleteUser.
 */
import { CognitoError, CognitoErrors } from '../cognito-error';
import { attributeList } from '../user-records';
import { deliverCode } from './deliver-code';
import { Operation } from './operation';

/** Attributes a user cannot write with the default app client permissions. */
const READ_ONLY_ATTRIBUTES = new Set(['sub', 'email_verified', 'phone_number_verified']);

const getUser: Operation = (request, state) => {
  const { user } = state.signedInCaller(request.string('AccessToken'));
  return { Username: user.username, UserAttributes: attributeList(user), MFAOptions: [], UserMFASettingList: [] };
};

const changePassword: Operation = (request, state) => {
  const { pool, user } = state.signedInCaller(request.string('AccessToken'));
  const previous = request.string('PreviousPassword');
  const proposed = request.string('ProposedPassword');
  if (!pool.directory.passwordMatches(user, previous)) throw CognitoErrors.incorrectCredentials();
  pool.directory.checkPolicy(proposed);
  pool.directory.setPassword(user, proposed);
  return {};
};

const updateUserAttributes: Operation = (request, state) => {
  const { pool, user } = state.signedInCaller(request.string('AccessToken'));
  const updates = request.attributes('UserAttributes');
  if ([...updates.keys()].some((name) => READ_ONLY_ATTRIBUTES.has(name))) {
    throw new CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
  }
  const emailChanged = updates.has('email') && updates.get('email') !== user.attributes.get('email');
  for (const [name, value] of updates) pool.directory.setAttribute(user, name, value);
  if (!emailChanged) return {};
  pool.directory.setAttribute(user, 'email_verified', 'false');
  if (pool.options.autoVerifyEmail !== true) return {};
  return { CodeDeliveryDetailsList: [deliverCode(state, pool, user, 'VERIFY_ATTRIBUTE')] };
};

const getUserAttributeVerificationCode: Operation = (request, state) => {
  const { pool, user } = state.signedInCaller(request.string('AccessToken'));
  const attributeName = request.string('AttributeName');
  if (attributeName !== 'email') throw CognitoErrors.invalidParameter(`The local identity endpoint verifies email only, not ${attributeName}`);
  return { CodeDeliveryDetails: deliverCode(state, pool, user, 'VERIFY_ATTRIBUTE') };
};

const verifyUserAttribute: Operation = (request, state) => {
  const { pool, user } = state.signedInCaller(request.string('AccessToken'));
  const attributeName = request.string('AttributeName');
  state.codes.consume(pool.options.userPoolId, user.username, 'VERIFY_ATTRIBUTE', attributeName, request.string('Code'));
  pool.directory.setAttribute(user, `${attributeName}_verified`, 'true');
  return {};
};

/** Every sign-in of the user ends: refresh tokens stop working; access tokens are refused here, not by API Gateway. */
const globalSignOut: Operation = (request, state) => {
  const { pool, user } = state.signedInCaller(request.string('AccessToken'));
  state.sessions.revokeUser(pool.options.userPoolId, user.username);
  return {};
};

const deleteUser: Operation = (request, state) => {
  const { pool, user } = state.signedInCaller(request.string('AccessToken'));
  state.removeUser(pool, user);
  return {};
};

export const SIGNED_IN_USER_OPERATIONS: Record<string, Operation> = {
  GetUser: getUser,
  ChangePassword: changePassword,
  UpdateUserAttributes: updateUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
  GlobalSignOut: globalSignOut,
  DeleteUser: deleteUser,
};
