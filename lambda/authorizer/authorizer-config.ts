import {
  DEFAULT_TOKEN_HEADER, DEFAULT_TOKEN_QUERY_STRING_PARAMETER, HandlerEnvironment, TokenSourceKinds, TokenSourceSetting,
  TokenUses, TokenUseValue,
} from '../../src/wire-contract';
import { commaList, requiredEnv, spaceList } from '../handler-environment';

/** What the authorizer reads from its environment, parsed once per container. */
export interface AuthorizerConfig {
  readonly userPoolId: string;
  readonly clientIds: string[];
  readonly tokenUse: TokenUseValue;
  readonly requiredGroups: string[];
  /** OAuth scopes of which an access token must hold at least one; empty for none. */
  readonly requiredScopes: string[];
  readonly tokenSource: TokenSourceSetting;
}

export function readAuthorizerConfig(env: NodeJS.ProcessEnv): AuthorizerConfig {
  const tokenUse = requiredEnv(env, HandlerEnvironment.TOKEN_USE);
  if (!isValueOf(TokenUses, tokenUse)) {
    throw new Error(`${HandlerEnvironment.TOKEN_USE} must be ${Object.values(TokenUses).map((use) => `'${use}'`).join(' or ')}`);
  }
  const kind = env[HandlerEnvironment.TOKEN_SOURCE_KIND] ?? TokenSourceKinds.QUERY_STRING;
  if (!isValueOf(TokenSourceKinds, kind)) {
    throw new Error(`${HandlerEnvironment.TOKEN_SOURCE_KIND} must be one of ${Object.values(TokenSourceKinds).join(', ')}`);
  }
  const name = env[HandlerEnvironment.TOKEN_SOURCE_NAME]?.trim()
    || (kind === TokenSourceKinds.HEADER ? DEFAULT_TOKEN_HEADER : DEFAULT_TOKEN_QUERY_STRING_PARAMETER);
  const clientIds = commaList(requiredEnv(env, HandlerEnvironment.CLIENT_IDS));
  const requiredScopes = spaceList(env[HandlerEnvironment.REQUIRED_SCOPES]);
  if (requiredScopes.length > 0 && tokenUse !== TokenUses.ACCESS) {
    // Only access tokens carry scopes: an ID token would be refused every time.
    throw new Error(`${HandlerEnvironment.REQUIRED_SCOPES} needs ${HandlerEnvironment.TOKEN_USE} 'access'`);
  }
  return {
    userPoolId: requiredEnv(env, HandlerEnvironment.USER_POOL_ID),
    clientIds,
    tokenUse,
    requiredGroups: commaList(env[HandlerEnvironment.REQUIRED_GROUPS]),
    requiredScopes,
    tokenSource: { kind, name },
  };
}

/** Whether `value` is one of the values of an enum-like object of wire-contract. */
function isValueOf<Values extends Record<string, string>>(values: Values, value: string): value is Values[keyof Values] {
  return (Object.values(values) as string[]).includes(value);
}
