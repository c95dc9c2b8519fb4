/**
 * Finds a user's id (the `sub` the authorizer puts in every route's context, and the key of their connections) by
 * username, in the user pool: the pool is the directory, so a user who never connected is found too.
 */
import { AdminGetUserCommand, CognitoIdentityProviderClient, UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';

export interface UserDirectory {
  /** The user's id, or undefined when the pool has no such user. */
  userIdOf(username: string): Promise<string | undefined>;
}

/** Names are looked up once per container: a user's `sub` never changes. */
const MAX_REMEMBERED = 1000;

export class CognitoUserDirectory implements UserDirectory {
  private readonly remembered = new Map<string, string>();

  constructor(private readonly client: CognitoIdentityProviderClient, private readonly userPoolId: string) {}

  async userIdOf(username: string): Promise<string | undefined> {
    const known = this.remembered.get(username);
    if (known) return known;
    try {
      const user = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }));
      const userId = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      if (userId) {
        if (this.remembered.size >= MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
        this.remembered.set(username, userId);
      }
      return userId;
    } catch (error) {
      if (error instanceof UserNotFoundException || (error as Error).name === 'UserNotFoundException') return undefined;
      throw error;
    }
  }
}
