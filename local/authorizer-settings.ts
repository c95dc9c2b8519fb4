/**
 * Which served API is the construct's, and what its `$connect` authorizer accepts (user pool, app clients, token
 * use, where the token travels, required groups), as `CognitoAuthorizedWebSocketApi` describes them on purpose for
 * tools: a metadata entry of type `API_DESCRIPTION_METADATA_TYPE` on its construct, references resolved here with
 * the template resolver. The handlers' environment variables are theirs to rename; nothing here reads them.
 *
 * An app that uses API Gateway directly has no description: its first API with an authorizer (else its first),
 * and the first user pool and that pool's first client, stand in.
 */
import type { StackArtifact, WebSocketApiDefinition } from './cloud-assembly';
import type { LocalUserPoolOptions } from './identity';
import type { LocalResourceNames } from './local-resource-names';
import { TemplateResolver, UnresolvableReferenceError } from './template-resolver';
import {
  API_DESCRIPTION_METADATA_TYPE, ApiDescription, TokenSourceKind, TokenSourceKinds, TokenUses, TokenUseValue,
} from '../src/wire-contract';

export interface AuthorizerSettings {
  /** The API clients are pointed at: the construct's, or in a fallback the first API with an authorizer. */
  readonly api: WebSocketApiDefinition;
  /** `construct`: read from the construct's description; `fallback`: an app without the construct. */
  readonly describedBy: 'construct' | 'fallback';
  /** The served user pool whose users sign in; undefined in an app without one. */
  readonly userPoolId?: string;
  /** The app client clients sign in with: one the authorizer accepts. */
  readonly userPoolClientId?: string;
  /** Every app client whose tokens the authorizer accepts (in a fallback: the pool's clients). */
  readonly acceptedClientIds: string[];
  /** The local name of the authorizer's function (construct only). */
  readonly authorizerFunctionName?: string;
  readonly tokenUse?: TokenUseValue;
  readonly tokenSource?: { readonly kind: TokenSourceKind; readonly name: string };
  readonly requiredGroups: string[];
}

export interface AuthorizerSettingsContext {
  /** The served APIs, in the order they are served. */
  readonly apis: WebSocketApiDefinition[];
  readonly stacks: StackArtifact[];
  readonly userPools: LocalUserPoolOptions[];
  readonly names: LocalResourceNames;
  readonly resolver: TemplateResolver;
  readonly log: (entry: Record<string, unknown>) => void;
}

/** The construct's settings when the app has a description of a served API, else the fallback. */
export function findAuthorizerSettings(context: AuthorizerSettingsContext): AuthorizerSettings {
  for (const stack of context.stacks) {
    for (const entry of stack.metadataEntries ?? []) {
      if (entry.type !== API_DESCRIPTION_METADATA_TYPE) continue;
      const description = readApiDescription(entry.data, `${stack.stackName}: ${entry.constructPath}`);
      const settings = describedSettings(stack, description, context);
      if (settings) return settings;
    }
  }
  return fallbackSettings(context);
}

/**
 * The entry's data as this runtime understands it, or an error that says what is wrong with it. A version this
 * runtime does not know is refused rather than guessed at.
 */
export function readApiDescription(data: unknown, where: string): ApiDescription<unknown> {
  const description = (typeof data === 'object' && data !== null ? data : {}) as Partial<Record<keyof ApiDescription<unknown>, unknown>>;
  if (description.version !== 1) {
    throw new Error(`${where}: the construct describes its API in version ${JSON.stringify(description.version)} of the ` +
      `${API_DESCRIPTION_METADATA_TYPE} metadata entry; this local runtime reads version 1 only. Run the local runtime of ` +
      'the cdk-cognito-websocket-api version the app uses.');
  }
  const problem = descriptionProblem(description);
  if (problem) throw new Error(`${where}: the ${API_DESCRIPTION_METADATA_TYPE} metadata entry is malformed: ${problem}`);
  return description as ApiDescription<unknown>;
}

function descriptionProblem(description: Partial<Record<keyof ApiDescription<unknown>, unknown>>): string | undefined {
  const { webSocketApi, authorizerFunction, userPool, userPoolClients, tokenUse, tokenSource, requiredGroups } = description;
  if (webSocketApi === undefined || authorizerFunction === undefined || userPool === undefined) {
    return 'webSocketApi, authorizerFunction and userPool are required';
  }
  if (!Array.isArray(userPoolClients)) return 'userPoolClients must be a list';
  if (!Object.values<unknown>(TokenUses).includes(tokenUse)) return `tokenUse ${JSON.stringify(tokenUse)} is not one of ${Object.values(TokenUses).join(', ')}`;
  const source = (typeof tokenSource === 'object' && tokenSource !== null ? tokenSource : {}) as Record<string, unknown>;
  if (!Object.values<unknown>(TokenSourceKinds).includes(source.kind) || typeof source.name !== 'string') {
    return `tokenSource ${JSON.stringify(tokenSource)} must be { kind: ${Object.values(TokenSourceKinds).join(' | ')}, name: string }`;
  }
  if (!Array.isArray(requiredGroups) || !requiredGroups.every((group) => typeof group === 'string')) return 'requiredGroups must be a list of names';
  return undefined;
}

/** The settings a description gives, or undefined when its API is not one the runtime serves. */
function describedSettings(stack: StackArtifact, description: ApiDescription<unknown>,
  context: AuthorizerSettingsContext): AuthorizerSettings | undefined {
  const resolve = (what: string, value: unknown) => resolveReference(stack, value, what, context);
  const apiId = resolve('webSocketApi', description.webSocketApi);
  const api = context.apis.find((candidate) => candidate.stack === stack && context.names.nameOf(stack, candidate.logicalId) === apiId);
  if (!api) return undefined;
  const acceptedClientIds = description.userPoolClients.map((client) => resolve('userPoolClients', client))
    .filter((clientId): clientId is string => clientId !== undefined);
  const describedPoolId = resolve('userPool', description.userPool);
  const pool = context.userPools.find((candidate) => candidate.userPoolId === describedPoolId);
  if (!pool) {
    const message = `the user pool of ${api.name} is not defined in the app, so it cannot be served locally; the app's first user pool stands in`;
    context.log({ level: 'warn', message });
  }
  return {
    ...poolAndClient(pool ?? context.userPools[0], acceptedClientIds),
    api,
    describedBy: 'construct',
    acceptedClientIds,
    authorizerFunctionName: resolve('authorizerFunction', description.authorizerFunction),
    tokenUse: description.tokenUse,
    tokenSource: { kind: description.tokenSource.kind, name: description.tokenSource.name },
    requiredGroups: [...description.requiredGroups],
  };
}

function fallbackSettings(context: AuthorizerSettingsContext): AuthorizerSettings {
  const api = context.apis.find((candidate) => candidate.routes.some((route) => route.authorizer)) ?? context.apis[0];
  const pool = context.userPools[0];
  const acceptedClientIds = pool ? [...pool.clientIds] : [];
  return { ...poolAndClient(pool, []), api, describedBy: 'fallback', acceptedClientIds, requiredGroups: [] };
}

/** The pool, and the first of its clients the authorizer accepts (else its first client). */
function poolAndClient(pool: LocalUserPoolOptions | undefined, acceptedClientIds: string[]) {
  return {
    userPoolId: pool?.userPoolId,
    userPoolClientId: pool?.clientIds.find((clientId) => acceptedClientIds.includes(clientId)) ?? pool?.clientIds[0],
  };
}

/** A reference of the description as a local name, or undefined (with a warning) when it has no local counterpart. */
function resolveReference(stack: StackArtifact, value: unknown, what: string, context: AuthorizerSettingsContext): string | undefined {
  try {
    return context.resolver.resolveString(stack, value);
  } catch (error) {
    if (!(error instanceof UnresolvableReferenceError)) throw error;
    context.log({ level: 'warn', message: `${stack.stackName}: the construct's ${what} cannot be resolved locally: ${error.message}` });
    return undefined;
  }
}
