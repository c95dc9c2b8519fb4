/**
 * The app's user pools as the local identity endpoint serves them, read from the template: each pool's sign-in
 * settings (aliases, email as username, auto-verified email, password policy), its app clients with their token
 * lifetimes and auth flows, its groups (`AWS::Cognito::UserPoolGroup`), and the groups the construct's APIs
 * require of its users (from the construct's API description), which must exist for anyone to connect.
 */
import { readApiDescription } from './authorizer-settings';
import { findResources, referencedLogicalId, StackArtifact, valueAt } from './cloud-assembly';
import {
  appClientFromTemplate, CloudFormationAppClientProperties, CloudFormationPasswordPolicy, LocalGroupOptions, LocalUserPoolOptions,
} from './identity';
import type { LocalResourceNames } from './local-resource-names';
import { TemplateResolver, UnresolvableReferenceError } from './template-resolver';
import { API_DESCRIPTION_METADATA_TYPE } from '../src/wire-contract';

export interface TemplateContext {
  readonly stacks: StackArtifact[];
  readonly names: LocalResourceNames;
  readonly resolver: TemplateResolver;
}

/** Every user pool of the app with its app clients and groups. */
export function localUserPools(context: TemplateContext): LocalUserPoolOptions[] {
  const { stacks, names, resolver } = context;
  const clients = findResources(stacks, 'AWS::Cognito::UserPoolClient');
  const groups = findResources(stacks, 'AWS::Cognito::UserPoolGroup');
  return findResources(stacks, 'AWS::Cognito::UserPool').map((pool) => {
    const ofThisPool = <T extends { stack: StackArtifact; properties: Record<string, unknown> }>(resource: T) =>
      resource.stack === pool.stack && referencedLogicalId(resource.properties.UserPoolId) === pool.logicalId;
    const poolClients = clients.filter(ofThisPool);
    const properties = resolver.resolve(pool.stack, pool.properties) as Record<string, unknown>;
    return {
      userPoolId: names.nameOf(pool.stack, pool.logicalId),
      clientIds: poolClients.map((client) => names.nameOf(client.stack, client.logicalId)),
      clientSettings: poolClients.map((client) => appClientFromTemplate(
        names.nameOf(client.stack, client.logicalId),
        resolver.resolve(client.stack, client.properties) as CloudFormationAppClientProperties,
      )),
      autoVerifyEmail: stringList(properties.AutoVerifiedAttributes).includes('email'),
      aliasAttributes: stringList(properties.AliasAttributes),
      usernameAttributes: stringList(properties.UsernameAttributes),
      passwordPolicy: valueAt(properties, 'Policies', 'PasswordPolicy') as CloudFormationPasswordPolicy | undefined,
      groups: groups.filter(ofThisPool).map((group) => groupOptions(group.stack, group.logicalId, group.properties, context)),
    };
  });
}

function groupOptions(stack: StackArtifact, logicalId: string, properties: Record<string, unknown>, context: TemplateContext): LocalGroupOptions {
  const resolved = context.resolver.resolve(stack, properties) as Record<string, unknown>;
  return {
    // Without GroupName, CloudFormation names the group; its local name stands in.
    groupName: typeof resolved.GroupName === 'string' ? resolved.GroupName : context.names.nameOf(stack, logicalId),
    description: typeof resolved.Description === 'string' ? resolved.Description : undefined,
    precedence: resolved.Precedence === undefined ? undefined : Number(resolved.Precedence),
    roleArn: typeof resolved.RoleArn === 'string' ? resolved.RoleArn : undefined,
  };
}

/**
 * The groups the construct's APIs require, by the local id of the user pool they require them in (every API that
 * `CognitoAuthorizedWebSocketApi` describes; an app without the construct requires none).
 */
export function requiredGroupsByPool({ stacks, resolver }: TemplateContext): Map<string, string[]> {
  const required = new Map<string, string[]>();
  for (const stack of stacks) {
    for (const entry of stack.metadataEntries ?? []) {
      if (entry.type !== API_DESCRIPTION_METADATA_TYPE) continue;
      const description = readApiDescription(entry.data, `${stack.stackName}: ${entry.constructPath}`);
      let userPoolId: string;
      try {
        userPoolId = resolver.resolveString(stack, description.userPool);
      } catch (error) {
        // A pool imported from outside the app is not served here: the authorizer settings warn about it.
        if (error instanceof UnresolvableReferenceError) continue;
        throw error;
      }
      const groups = required.get(userPoolId) ?? [];
      required.set(userPoolId, [...new Set([...groups, ...description.requiredGroups])]);
    }
  }
  return required;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
