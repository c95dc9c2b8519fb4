/** Users and groups as Cognito's API returns them (`AttributeType` lists, `UserType`, `GroupType`). */
import { LocalGroup, LocalUser } from './user-directory';

export interface AttributeType {
  readonly Name: string;
  readonly Value: string;
}

/** The user's attributes, `sub` first as Cognito lists it; only `names` when given (`AttributesToGet`). */
export function attributeList(user: LocalUser, names?: readonly string[]): AttributeType[] {
  const entries = [...user.attributes].filter(([name]) => !names || names.includes(name));
  entries.sort(([a], [b]) => (a === 'sub' ? -1 : b === 'sub' ? 1 : 0));
  return entries.map(([Name, Value]) => ({ Name, Value }));
}

/** `UserType` of AdminCreateUser and ListUsers; dates in epoch seconds, as the JSON protocol carries them. */
export function userType(user: LocalUser, attributesToGet?: readonly string[]) {
  return {
    Username: user.username,
    Attributes: attributeList(user, attributesToGet),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.modifiedAt / 1000,
    Enabled: true,
    UserStatus: user.status,
  };
}

export function groupType(userPoolId: string, group: LocalGroup) {
  return {
    GroupName: group.groupName,
    UserPoolId: userPoolId,
    ...(group.description !== undefined ? { Description: group.description } : {}),
    ...(group.precedence !== undefined ? { Precedence: group.precedence } : {}),
    ...(group.roleArn !== undefined ? { RoleArn: group.roleArn } : {}),
    CreationDate: group.createdAt / 1000,
    LastModifiedDate: group.createdAt / 1000,
  };
}
