/**
 * Who sent a message: the identity the construct's `$connect` authorizer verified, which API Gateway passes to every
 * route of the connection as `requestContext.authorizer`. Its values are strings or numbers (API Gateway allows no
 * arrays there), so the groups and scopes arrive joined and are split here.
 */
import { AuthorizerContextKeys } from '../src/wire-contract';

export interface CallerIdentity {
  /** The token's `sub`: the key of the user's rows in `userIdIndex`, what `sendToUser` takes. */
  readonly userId: string;
  /** `cognito:username` (ID token) or `username` (access token). */
  readonly username: string;
  /** The user's Cognito groups (`cognito:groups`); empty when none. */
  readonly groups: string[];
  /** `id` or `access`: the kind of token the connection was opened with. */
  readonly tokenUse: string;
  /** When the token that opened the connection expires, in seconds since the epoch. */
  readonly exp: number;
  /** The access token's OAuth scopes: its `scope` claim, split at spaces, so a check is exact (`includes('chat/write')`); empty for ID tokens. */
  readonly scope: string[];
}

/** The part of a WebSocket route event `callerIdentity` reads. */
export interface AuthorizedRouteEvent {
  readonly requestContext: {
    readonly authorizer?: Readonly<Record<string, unknown>> | null;
  };
}

/**
 * The caller of a WebSocket route event. Throws when the event carries no verified user: a route of an API without
 * the construct's authorizer, or an event that is not a WebSocket route event (a Function URL's, a queue's).
 */
export function callerIdentity(event: AuthorizedRouteEvent): CallerIdentity {
  const context = event?.requestContext?.authorizer;
  const userId = context?.[AuthorizerContextKeys.USER_ID];
  if (typeof userId !== 'string' || userId === '') {
    throw new Error(
      'callerIdentity: the event has no requestContext.authorizer.userId; it must be the event of a WebSocket route of ' +
      'a CognitoAuthorizedWebSocketApi, whose $connect authorizer puts the verified user there',
    );
  }
  return {
    userId,
    username: stringOf(context?.[AuthorizerContextKeys.USERNAME]),
    groups: listOf(context?.[AuthorizerContextKeys.GROUPS], ','),
    tokenUse: stringOf(context?.[AuthorizerContextKeys.TOKEN_USE]),
    exp: Number(context?.[AuthorizerContextKeys.EXP] ?? 0) || 0,
    scope: listOf(context?.[AuthorizerContextKeys.SCOPE], ' '),
  };
}

/**
 * Whether the token that opened the connection has expired. API Gateway keeps a connection open for up to two
 * hours whatever its token says; a route handler that must not serve a user past their session checks this.
 */
export function hasExpired(identity: Pick<CallerIdentity, 'exp'>, nowMs: number = Date.now()): boolean {
  return identity.exp * 1000 <= nowMs;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function listOf(value: unknown, separator: string): string[] {
  return stringOf(value).split(separator).map((entry) => entry.trim()).filter((entry) => entry !== '');
}
