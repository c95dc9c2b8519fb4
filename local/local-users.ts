/**
 * The users the local runtime creates at start: the demo user, in every group the served APIs require of the pool
 * clients sign in to (so it can connect to each of them at once), and the developer's own users (`--users`).
 * The required groups are created in their pools when the template does not define them, so that an
 * administrator (or `--users`) can put anyone in them.
 */
import { LocalIdentityProvider } from './identity';
import { CognitoError } from './identity/cognito-error';
import type { SeedUser } from './identity/user-seed-file';

export interface DemoUser {
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  /** The groups the runtime put the demo user in: those the served APIs require. */
  readonly groups?: readonly string[];
}

export interface LocalUsersOptions {
  /** The pool clients sign in to; no users are created without one. */
  readonly userPoolId?: string;
  readonly demoUser?: DemoUser | false;
  readonly users?: readonly SeedUser[];
  /** Groups the served APIs require, by user pool id. */
  readonly requiredGroups: ReadonlyMap<string, readonly string[]>;
}

/** The demo user's password satisfies Cognito's default policy (upper, lower, digit, symbol, 8+). */
export const DEFAULT_DEMO_USER: DemoUser = { username: 'demo', password: 'Demo-passw0rd!', email: 'demo@example.com' };

/** Creates the required groups and the users; returns the demo user as created (with its groups), if any. */
export function createLocalUsers(identity: LocalIdentityProvider, options: LocalUsersOptions): DemoUser | undefined {
  for (const [userPoolId, groups] of options.requiredGroups) {
    for (const group of groups) identity.ensureGroup(userPoolId, group);
  }
  const { userPoolId } = options;
  if (!userPoolId) return undefined;
  let demoUser: DemoUser | undefined;
  if (options.demoUser !== false) {
    const { username, password, email } = options.demoUser ?? DEFAULT_DEMO_USER;
    const groups = [...options.requiredGroups.get(userPoolId) ?? []];
    identity.createUser({ userPoolId, username, password, email, groups });
    demoUser = { username, password, ...(email !== undefined ? { email } : {}), groups };
  }
  for (const user of options.users ?? []) seedUser(identity, userPoolId, user, demoUser);
  return demoUser;
}

function seedUser(identity: LocalIdentityProvider, userPoolId: string, user: SeedUser, demoUser: DemoUser | undefined): void {
  const known = identity.groupNames(userPoolId);
  const unknown = (user.groups ?? []).filter((group) => !known.includes(group));
  if (unknown.length > 0) {
    throw new Error(`users: "${user.username}" is in group ${unknown.map((group) => `"${group}"`).join(', ')}, which user pool `
      + `${userPoolId} does not have (its groups: ${known.join(', ') || 'none'}); add the group to the app or fix the name`);
  }
  try {
    identity.createUser({ userPoolId, ...user });
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    const hint = user.username === demoUser?.username ? ' (the demo user\'s name: pick another, or --no-demo-user)' : '';
    throw new Error(`users: "${user.username}" cannot be created in ${userPoolId}: ${error.message}${hint}`);
  }
}
