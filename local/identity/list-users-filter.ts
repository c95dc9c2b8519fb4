/**
 * ListUsers' `Filter`: `"<attribute> = \"<value>\""` (exact) or `"<attribute> ^= \"<value>\""` (prefix), on the
 * attributes Cognito allows, `username`, `cognito:user_status` and `status` included.
 */
import { CognitoErrors } from './cognito-error';
import { LocalUser } from './user-directory';

const FILTER = /^\s*([\w:]+)\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$/;
const SEARCHABLE = new Set([
  'username', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username', 'cognito:user_status', 'status', 'sub',
]);

export type UserFilter = (user: LocalUser) => boolean;

export function parseListUsersFilter(filter: string | undefined): UserFilter {
  if (filter === undefined || filter.trim() === '') return () => true;
  const match = FILTER.exec(filter);
  if (!match || !SEARCHABLE.has(match[1])) throw CognitoErrors.invalidParameter('Error while parsing filter.');
  const [, attribute, operator, quoted] = match;
  const wanted = quoted.replace(/\\(.)/g, '$1');
  return (user) => {
    const value = valueOf(user, attribute);
    return value !== undefined && (operator === '=' ? value === wanted : value.startsWith(wanted));
  };
}

function valueOf(user: LocalUser, attribute: string): string | undefined {
  switch (attribute) {
    case 'username': return user.username;
    case 'cognito:user_status': return user.status;
    case 'status': return 'Enabled';
    default: return user.attributes.get(attribute);
  }
}
