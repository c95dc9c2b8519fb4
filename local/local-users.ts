/**
 * The users the local runtime creates at start: the demo user, in every group the served APIs require of the pool
 * clients sign in to (so it can connect to each of them at once), and the developer's own users (`--users`).
 * The required groups are created in their pools when the template does not define them, so that an
 * administrator (or `--users`) can put anyone in them.
 */
import { randomBytes } from 'crypto';
import { CloudFormationPasswordPolicy, COGNITO_DEFAULT_PASSWORD_POLICY, LocalIdentityProvider, passwordPolicyViolation } from './identity';
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
  /** That pool's password policy: a demo password given must meet it, and a random one is made to. */
  readonly passwordPolicy?: CloudFormationPasswordPolicy;
  /** The demo user; without a password, one is drawn at random. @default - `demo`, with a random password */
  readonly demoUser?: Partial<DemoUser> | false;
  readonly users?: readonly SeedUser[];
  /** Groups the served APIs require, by user pool id. */
  readonly requiredGroups: ReadonlyMap<string, readonly string[]>;
}

/** The demo user's name and email; its password is drawn at random at each start unless the developer gives one. */
export const DEFAULT_DEMO_USER = { username: 'demo', email: 'demo@example.com' } as const;

/** Creates the required groups and the users; returns the demo user as created (with its groups), if any. */
export function createLocalUsers(identity: LocalIdentityProvider, options: LocalUsersOptions): DemoUser | undefined {
  for (const [userPoolId, groups] of options.requiredGroups) {
    for (const group of groups) identity.ensureGroup(userPoolId, group);
  }
  const { userPoolId } = options;
  if (!userPoolId) return undefined;
  let demoUser: DemoUser | undefined;
  if (options.demoUser !== false) {
    const { username, email } = { ...DEFAULT_DEMO_USER, ...options.demoUser };
    const policy = options.passwordPolicy ?? COGNITO_DEFAULT_PASSWORD_POLICY;
    const password = options.demoUser?.password ?? randomDemoPassword(policy);
    const violation = passwordPolicyViolation(policy, password);
    if (violation) {
      throw new Error(`demo password: ${violation}, as the password policy of user pool ${userPoolId} requires; `
        + 'give another with --demo-password, or leave it out for a random one');
    }
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

/**
 * A password no one can know before the runtime prints it (a fixed, published one would let any web page sign in
 * as the demo user), meeting the pool's policy: 24 random characters, or the policy's minimum length, with each
 * character class Cognito can require.
 */
export function randomDemoPassword(policy?: CloudFormationPasswordPolicy): string {
  const length = Math.max(24, Number(policy?.MinimumLength ?? 0));
  // base64url draws from letters, digits, '-' and '_'; the suffix guarantees every class whatever was drawn.
  const suffix = 'Aa1-';
  return randomBytes(length).toString('base64url').slice(0, length - suffix.length) + suffix;
}
