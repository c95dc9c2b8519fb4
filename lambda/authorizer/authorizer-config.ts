import { HandlerEnvironment, TokenSourceKind, TokenSourceKinds, TokenSourceSetting } from '../../src/wire-contract';
import { commaList, requiredEnv } from '../handler-environment';

/** What the authorizer reads from its environment, parsed once per container. */
export interface AuthorizerConfig {
  readonly userPoolId: string;
  readonly clientIds: string[];
  readonly tokenUse: 'id' | 'access';
  readonly requiredGroups: string[];
  readonly tokenSource: TokenSourceSetting;
}

export function readAuthorizerConfig(env: NodeJS.ProcessEnv): AuthorizerConfig {
  const tokenUse = requiredEnv(env, HandlerEnvironment.TOKEN_USE);
  if (tokenUse !== 'id' && tokenUse !== 'access') {
    throw new Error(`${HandlerEnvironment.TOKEN_USE} must be 'id' or 'access'`);
  }
  const kind = (env[HandlerEnvironment.TOKEN_SOURCE_KIND] ?? TokenSourceKinds.QUERY_STRING) as TokenSourceKind;
  if (!Object.values(TokenSourceKinds).includes(kind)) {
    throw new Error(`${HandlerEnvironment.TOKEN_SOURCE_KIND} must be one of ${Object.values(TokenSourceKinds).join(', ')}`);
  }
  const name = env[HandlerEnvironment.TOKEN_SOURCE_NAME]?.trim()
    || (kind === TokenSourceKinds.HEADER ? 'Authorization' : 'idToken');
  const clientIds = commaList(requiredEnv(env, HandlerEnvironment.CLIENT_IDS));
  return {
    userPoolId: requiredEnv(env, HandlerEnvironment.USER_POOL_ID),
    clientIds,
    tokenUse,
    requiredGroups: commaList(env[HandlerEnvironment.REQUIRED_GROUPS]),
    tokenSource: { kind, name },
  };
}
