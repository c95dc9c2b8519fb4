/**
 * Administrators' user calls: AdminCreateUser, AdminSetUserPassword, AdminConfirmSignUp, AdminGetUser,
 * AdminDeleteUser, ListUsers, AdminUserGlobalSignOut. In AWS they need IAM credentials; the local endpoint
 * accepts any SigV4-signed (or unsigned) request and does not check the signature: it listens on loopback only,
 * for the developer of this machine.
 */
import { randomBytes } from 'node:crypto';
import { CognitoErrors } from '../cognito-error';
import { CognitoRequest } from '../cognito-request';
import { IdentityState, LocalUserPool } from '../identity-state';
import { parseListUsersFilter } from '../list-users-filter';
import { LocalUser } from '../user-directory';
import { userType } from '../user-records';
import { Operation } from './operation';

/** The pool and user an admin call names (`UserPoolId`, `Username`: a username or an alias). */
export function adminTarget(request: CognitoRequest, state: IdentityState): { pool: LocalUserPool; user: LocalUser } {
  const pool = state.pool(request.string('UserPoolId'));
  return { pool, user: pool.directory.require(request.string('Username')) };
}

/**
 * A user in FORCE_CHANGE_PASSWORD, who sets their own password at first sign-in (NEW_PASSWORD_REQUIRED). Cognito
 * would email a generated temporary password; this endpoint prints no password, so give `TemporaryPassword`, or
 * set one with AdminSetUserPassword.
 */
const adminCreateUser: Operation = (request, state) => {
  const pool = state.pool(request.string('UserPoolId'));
  const username = request.string('Username');
  const temporaryPassword = request.optionalString('TemporaryPassword');
  if (temporaryPassword !== undefined) pool.directory.checkPolicy(temporaryPassword);
  if (pool.directory.find(username)) throw CognitoErrors.userAccountExists();
  const user = pool.directory.addUser({
    username,
    password: temporaryPassword ?? `${randomBytes(24).toString('base64url')}aA1!`,
    attributes: request.attributes('UserAttributes'),
    status: 'FORCE_CHANGE_PASSWORD',
  });
  return { User: userType(user) };
};

const adminSetUserPassword: Operation = (request, state) => {
  const { pool, user } = adminTarget(request, state);
  const password = request.string('Password');
  pool.directory.checkPolicy(password);
  pool.directory.setPassword(user, password);
  user.status = request.optionalBoolean('Permanent') === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  return {};
};

const adminConfirmSignUp: Operation = (request, state) => {
  const { pool, user } = adminTarget(request, state);
  if (user.status !== 'UNCONFIRMED') throw CognitoErrors.cannotConfirm(user.status);
  user.status = 'CONFIRMED';
  state.codes.forget(pool.options.userPoolId, user.username, 'SIGN_UP');
  pool.directory.touch(user);
  return {};
};

const adminGetUser: Operation = (request, state) => {
  const { user } = adminTarget(request, state);
  const { Attributes, ...rest } = userType(user);
  return { ...rest, UserAttributes: Attributes, MFAOptions: [], UserMFASettingList: [] };
};

const adminDeleteUser: Operation = (request, state) => {
  const { pool, user } = adminTarget(request, state);
  state.removeUser(pool, user);
  return {};
};

const adminUserGlobalSignOut: Operation = (request, state) => {
  const { pool, user } = adminTarget(request, state);
  state.sessions.revokeUser(pool.options.userPoolId, user.username);
  return {};
};

/** At most `Limit` (60, Cognito's maximum) users a page; the `PaginationToken` is the offset of the next page. */
const listUsers: Operation = (request, state) => {
  const pool = state.pool(request.string('UserPoolId'));
  const matches = parseListUsersFilter(request.optionalString('Filter'));
  const limit = Math.min(request.optionalNumber('Limit') ?? 60, 60);
  if (limit < 1) throw CognitoErrors.invalidParameter('Limit must be between 1 and 60');
  const users = pool.directory.list().filter(matches);
  const offset = pageOffset(request.optionalString('PaginationToken'));
  const page = users.slice(offset, offset + limit);
  const attributesToGet = request.optionalStrings('AttributesToGet');
  return {
    Users: page.map((user) => attributesToGet ? userType(user, attributesToGet) : userType(user)),
    ...(offset + limit < users.length ? { PaginationToken: Buffer.from(String(offset + limit)).toString('base64') } : {}),
  };
};

export function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = Number(Buffer.from(token, 'base64').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw CognitoErrors.invalidParameter('Invalid pagination token.');
  return offset;
}

export const ADMIN_USER_OPERATIONS: Record<string, Operation> = {
  AdminCreateUser: adminCreateUser,
  AdminSetUserPassword: adminSetUserPassword,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  ListUsers: listUsers,
};
