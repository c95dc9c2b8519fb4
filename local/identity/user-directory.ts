/**
 * One local user pool's users and groups, in memory. A user's password is kept only as an SRP verifier (salt
 * and g^x mod N), from which both USER_SRP_AUTH and USER_PASSWORD_AUTH are checked.
 */
import { randomUUID } from 'node:crypto';
import { CognitoErrors } from './cognito-error';
import { CloudFormationPasswordPolicy, passwordPolicyViolation } from './password-policy';
import { createPasswordVerifier, PasswordVerifier, passwordMatchesVerifier } from './srp-protocol';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface LocalUser {
  /** The user's name in the pool, and its `USER_ID_FOR_SRP`: a UUID when the pool signs in with email as username. */
  readonly username: string;
  readonly sub: string;
  /** Standard and custom attributes by name (`email`, `email_verified`: "true"/"false", `custom:x`), `sub` included. */
  readonly attributes: Map<string, string>;
  credential: PasswordVerifier;
  status: UserStatus;
  /** Confirmed at SignUp because the endpoint auto-confirms: a ConfirmSignUp that follows still succeeds. */
  autoConfirmed: boolean;
  readonly createdAt: number;
  modifiedAt: number;
  /** Group names, in the order the user joined them. */
  readonly groups: Set<string>;
}

export interface LocalGroup {
  readonly groupName: string;
  readonly description?: string;
  readonly precedence?: number;
  readonly roleArn?: string;
  readonly createdAt: number;
}

/** How a pool lets users sign in, as its template says. */
export interface UserPoolSignInSettings {
  /** `AliasAttributes`: a verified `email` may stand for the username. @default [] */
  readonly aliasAttributes?: string[];
  /** `UsernameAttributes`: users sign up and in with their email; their username is a generated UUID. @default [] */
  readonly usernameAttributes?: string[];
  readonly passwordPolicy?: CloudFormationPasswordPolicy;
}

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly attributes?: ReadonlyMap<string, string>;
  readonly status: UserStatus;
}

export class UserPoolDirectory {
  /** The pool id after the underscore: the SRP `poolName` both sides hash the password with. */
  readonly poolName: string;
  private readonly users = new Map<string, LocalUser>();
  private readonly groups = new Map<string, LocalGroup>();

  constructor(readonly userPoolId: string, private readonly settings: UserPoolSignInSettings, private readonly clock: () => number) {
    this.poolName = userPoolId.slice(userPoolId.indexOf('_') + 1);
  }

  /** Whether users sign up with an email address as their username. */
  get signsInWithEmail(): boolean {
    return this.settings.usernameAttributes?.includes('email') ?? false;
  }

  /** A new user; with email as username, the given username is the email and the real username a UUID. */
  addUser(request: NewUser): LocalUser {
    if (request.username.length === 0 || request.password.length === 0) {
      throw CognitoErrors.invalidParameter('Username and Password must not be empty');
    }
    const sub = randomUUID();
    const attributes = new Map(request.attributes ?? []);
    let username = request.username;
    if (this.signsInWithEmail) {
      if (!request.username.includes('@')) throw CognitoErrors.invalidParameter('Username should be an email.');
      if (this.findByEmail(request.username)) throw CognitoErrors.aliasExists();
      attributes.set('email', request.username);
      username = sub;
    } else if (this.users.has(username)) {
      throw CognitoErrors.usernameExists();
    }
    attributes.set('sub', sub);
    const now = this.clock();
    const user: LocalUser = {
      username,
      sub,
      attributes,
      status: request.status,
      autoConfirmed: false,
      createdAt: now,
      modifiedAt: now,
      groups: new Set(),
      credential: createPasswordVerifier(this.poolName, username, request.password),
    };
    this.users.set(username, user);
    return user;
  }

  /** By username, by email when it is the username, or by a verified email alias. */
  find(usernameOrAlias: string): LocalUser | undefined {
    const byUsername = this.users.get(usernameOrAlias);
    if (byUsername) return byUsername;
    if (this.signsInWithEmail) return this.findByEmail(usernameOrAlias);
    if (this.settings.aliasAttributes?.includes('email')) {
      const user = this.findByEmail(usernameOrAlias);
      return user?.attributes.get('email_verified') === 'true' ? user : undefined;
    }
    return undefined;
  }

  /** The user, or UserNotFoundException with the message the calling operation uses. */
  require(usernameOrAlias: string, notFound = CognitoErrors.userNotFound): LocalUser {
    const user = this.find(usernameOrAlias);
    if (!user) throw notFound();
    return user;
  }

  list(): LocalUser[] {
    return [...this.users.values()];
  }

  remove(user: LocalUser): void {
    this.users.delete(user.username);
  }

  /** Throws InvalidPasswordException, with Cognito's wording of the rule, if the password breaks the pool's policy. */
  checkPolicy(password: string): void {
    const violation = passwordPolicyViolation(this.settings.passwordPolicy, password);
    if (violation) throw CognitoErrors.invalidPassword(violation);
  }

  setPassword(user: LocalUser, password: string): void {
    user.credential = createPasswordVerifier(this.poolName, user.username, password);
    this.touch(user);
  }

  passwordMatches(user: LocalUser, password: string): boolean {
    return passwordMatchesVerifier(this.poolName, user.username, password, user.credential);
  }

  setAttribute(user: LocalUser, name: string, value: string): void {
    user.attributes.set(name, value);
    this.touch(user);
  }

  touch(user: LocalUser): void {
    user.modifiedAt = this.clock();
  }

  addGroup(group: Omit<LocalGroup, 'createdAt'>): LocalGroup {
    if (this.groups.has(group.groupName)) throw CognitoErrors.groupExists();
    const created = { ...group, createdAt: this.clock() };
    this.groups.set(group.groupName, created);
    return created;
  }

  requireGroup(groupName: string): LocalGroup {
    const group = this.groups.get(groupName);
    if (!group) throw CognitoErrors.groupNotFound();
    return group;
  }

  /** Deletes the group and every membership in it. */
  removeGroup(groupName: string): void {
    this.groups.delete(groupName);
    for (const user of this.users.values()) user.groups.delete(groupName);
  }

  listGroups(): LocalGroup[] {
    return [...this.groups.values()];
  }

  private findByEmail(email: string): LocalUser | undefined {
    return [...this.users.values()].find((user) => user.attributes.get('email') === email);
  }
}
