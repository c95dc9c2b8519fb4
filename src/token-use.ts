import { TokenUses } from './wire-contract';

/**
 * Which Cognito token the authorizer accepts at `$connect`.
 */
export class TokenUse {
  /** The ID token (the AWS sample's choice): carries the user's attributes and `cognito:groups`. */
  public static readonly ID = new TokenUse(TokenUses.ID);

  /** The access token: carries scopes and `cognito:groups`, but no user attributes. */
  public static readonly ACCESS = new TokenUse(TokenUses.ACCESS);

  /**
   * @param value the token's `token_use` claim, `id` or `access`
   */
  private constructor(public readonly value: string) {}
}
