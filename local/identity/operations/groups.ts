/**
 * User pool groups: CreateGroup, GetGroup, ListGroups, DeleteGroup, AdminAddUserToGroup,
 * AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup. A user's groups are read when tokens are
 * minted, so a change shows in `cognito:groups` from the next sign-in or refresh, as in Cognito.
 */
import { CognitoErrors } from '../cognito-error';
import { groupType, userType } from '../user-records';
import { adminTarget, pageOffset } from './admin-users';
import { Operation } from './operation';

/** Cognito's group name rule: 1 to 128 letters, marks, symbols, digits or punctuation (no whitespace). */
const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

const createGroup: Operation = (request, state) => {
  const pool = state.pool(request.string('UserPoolId'));
  const groupName = request.string('GroupName');
  if (!GROUP_NAME.test(groupName)) {
    throw CognitoErrors.invalidParameter(`1 validation error detected: Value '${groupName}' at 'groupName' failed to satisfy constraint: `
      + 'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+');
  }
  const group = pool.directory.addGroup({
    groupName,
    description: request.optionalString('Description'),
    precedence: request.optionalNumber('Precedence'),
    roleArn: request.optionalString('RoleArn'),
  });
  return { Group: groupType(pool.options.userPoolId, group) };
};

const getGroup: Operation = (request, state) => {
  const pool = state.pool(request.string('UserPoolId'));
  return { Group: groupType(pool.options.userPoolId, pool.directory.requireGroup(request.string('GroupName'))) };
};

const listGroups: Operation = (request, state) => {
  const pool = state.pool(request.string('UserPoolId'));
  return { Groups: pool.directory.listGroups().map((group) => groupType(pool.options.userPoolId, group)) };
};

const deleteGroup: Operation = (request, state) => {
  const pool = state.pool(request.string('UserPoolId'));
  const group = pool.directory.requireGroup(request.string('GroupName'));
  pool.directory.removeGroup(group.groupName);
  return {};
};

const adminAddUserToGroup: Operation = (request, state) => {
  const { pool, user } = adminTarget(request, state);
  const group = pool.directory.requireGroup(request.string('GroupName'));
  user.groups.add(group.groupName);
  return {};
};

const adminRemoveUserFromGroup: Operation = (request, state) => {
  const { pool, user } = adminTarget(request, state);
  const group = pool.directory.requireGroup(request.string('GroupName'));
  user.groups.delete(group.groupName);
  return {};
};

const adminListGroupsForUser: Operation = (request, state) => {
  const { pool, user } = adminTarget(request, state);
  const groups = [...user.groups].map((name) => groupType(pool.options.userPoolId, pool.directory.requireGroup(name)));
  return { Groups: groups };
};

const listUsersInGroup: Operation = (request, state) => {
  const pool = state.pool(request.string('UserPoolId'));
  const group = pool.directory.requireGroup(request.string('GroupName'));
  const members = pool.directory.list().filter((user) => user.groups.has(group.groupName));
  const offset = pageOffset(request.optionalString('NextToken'));
  const limit = Math.min(request.optionalNumber('Limit') ?? 60, 60);
  return {
    Users: members.slice(offset, offset + limit).map((user) => userType(user)),
    ...(offset + limit < members.length ? { NextToken: Buffer.from(String(offset + limit)).toString('base64') } : {}),
  };
};

export const GROUP_OPERATIONS: Record<string, Operation> = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  ListGroups: listGroups,
  DeleteGroup: deleteGroup,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  ListUsersInGroup: listUsersInGroup,
};
