import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
}

/** One synthesized stack: its template and where its files live. */
export interface StackArtifact {
  readonly stackName: string;
  /** Directory of the (possibly nested) cloud assembly that holds the template and its assets. */
  readonly assemblyDir: string;
  readonly template: {
    readonly Resources?: Record<string, TemplateResource>;
    readonly Parameters?: Record<string, { Default?: unknown; Type?: string }>;
    readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
    readonly Conditions?: Record<string, unknown>;
  };
  /** The stack's own region when the app pinned one (`env`), otherwise undefined. */
  readonly region?: string;
  /** S3 object key of a file asset (`<hash>.zip`) -> local path of its source, from `<stack>.assets.json`. */
  readonly assetPathsByObjectKey: Record<string, string>;
}

/** A Lambda function of a template, with what the local runtime needs to run it. */
export interface FunctionDefinition {
  readonly stack: StackArtifact;
  readonly logicalId: string;
  readonly properties: Record<string, any>;
}

/** A route of a WebSocket API and the Lambda function behind it, if any. */
export interface WebSocketRouteDefinition {
  readonly logicalId: string;
  readonly routeKey: string;
  /** Logical id of the Lambda behind the route's AWS_PROXY integration; undefined for other integration types. */
  readonly functionLogicalId?: string;
  /** Logical id of a REQUEST Lambda authorizer (only `$connect` can have one). */
  readonly authorizer?: WebSocketAuthorizerDefinition;
  /** True when the route has a route response, so the integration's body goes back to the caller (two-way route). */
  readonly twoWay: boolean;
}

export interface WebSocketAuthorizerDefinition {
  readonly logicalId: string;
  readonly functionLogicalId: string;
  /** e.g. `route.request.querystring.idToken`, `route.request.header.Sec-WebSocket-Protocol`. */
  readonly identitySource: string[];
}

export interface WebSocketApiDefinition {
  readonly stack: StackArtifact;
  readonly logicalId: string;
  readonly name: string;
  readonly routeSelectionExpression: string;
  readonly routes: WebSocketRouteDefinition[];
  /** Stage names found for this API; the first is served. */
  readonly stageNames: string[];
}

/** Every stack of a cloud assembly, nested assemblies (CDK stages) included. */
export function readCloudAssembly(assemblyDir: string): StackArtifact[] {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new Error(`${assemblyDir} is not a cloud assembly: it has no manifest.json (run \`cdk synth\` first)`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const stacks: StackArtifact[] = [];
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly') {
      stacks.push(...readCloudAssembly(path.join(assemblyDir, artifact.properties.directoryName)));
    } else if (artifact.type === 'aws:cloudformation:stack') {
      const templateFile = path.join(assemblyDir, artifact.properties.templateFile);
      const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(artifact.environment ?? '')?.[1];
      stacks.push({
        stackName: artifact.properties.stackName ?? artifact.displayName ?? artifactId,
        assemblyDir,
        template: JSON.parse(readFileSync(templateFile, 'utf8')),
        region: region && region !== 'unknown-region' ? region : undefined,
        assetPathsByObjectKey: readAssetPaths(assemblyDir, manifest.artifacts, artifact),
      });
    }
  }
  return stacks;
}

function readAssetPaths(assemblyDir: string, artifacts: Record<string, any>, stackArtifact: any): Record<string, string> {
  const result: Record<string, string> = {};
  for (const dependency of stackArtifact.dependencies ?? []) {
    const assetArtifact = artifacts[dependency];
    if (assetArtifact?.type !== 'cdk:asset-manifest') continue;
    const assets = JSON.parse(readFileSync(path.join(assemblyDir, assetArtifact.properties.file), 'utf8'));
    for (const file of Object.values<any>(assets.files ?? {})) {
      for (const destination of Object.values<any>(file.destinations ?? {})) {
        if (typeof destination.objectKey === 'string' && file.source?.path) {
          result[destination.objectKey] = path.join(assemblyDir, file.source.path);
        }
      }
    }
  }
  return result;
}

function resourcesOfType(stack: StackArtifact, type: string): Array<[string, TemplateResource]> {
  return Object.entries(stack.template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at, or undefined for anything else. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const ref = (value as any).Ref;
    if (typeof ref === 'string') return ref;
    const getAtt = (value as any)['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return getAtt[0];
    if (typeof getAtt === 'string') return getAtt.split('.')[0];
  }
  return undefined;
}

/**
 * The Lambda function an integration URI or authorizer URI invokes. CDK writes it as
 * `Fn::Join ['', ['arn:', {Ref: AWS::Partition}, ':apigateway:', ..., {Fn::GetAtt: [Fn, Arn]}, '/invocations']]`.
 */
function invokedFunctionLogicalId(stack: StackArtifact, uri: unknown): string | undefined {
  const functions = new Set(resourcesOfType(stack, 'AWS::Lambda::Function').map(([id]) => id));
  const aliases = new Map(resourcesOfType(stack, 'AWS::Lambda::Alias').map(([id, r]) => [id, r.Properties?.FunctionName]));
  const versions = new Map(resourcesOfType(stack, 'AWS::Lambda::Version').map(([id, r]) => [id, r.Properties?.FunctionName]));
  let found: string | undefined;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    const id = referencedLogicalId(node);
    if (id) {
      if (functions.has(id)) {
        found = id;
      } else if (aliases.has(id) || versions.has(id)) {
        visit(aliases.get(id) ?? versions.get(id));
      }
      if (found) return;
    }
    for (const child of Object.values(node as object)) visit(child);
  };
  visit(uri);
  return found;
}

/** Every WebSocket API of the stacks with its routes, their Lambda integrations and the `$connect` authorizer. */
export function findWebSocketApis(stacks: StackArtifact[]): WebSocketApiDefinition[] {
  const apis: WebSocketApiDefinition[] = [];
  for (const stack of stacks) {
    const resources = stack.template.Resources ?? {};
    const belongsTo = (resource: TemplateResource, apiLogicalId: string) =>
      referencedLogicalId(resource.Properties?.ApiId) === apiLogicalId;
    for (const [apiLogicalId, api] of resourcesOfType(stack, 'AWS::ApiGatewayV2::Api')) {
      if (api.Properties?.ProtocolType !== 'WEBSOCKET') continue;
      const routeResponses = new Set(resourcesOfType(stack, 'AWS::ApiGatewayV2::RouteResponse')
        .filter(([, r]) => belongsTo(r, apiLogicalId))
        .map(([, r]) => referencedLogicalId(r.Properties?.RouteId)));
      const routes: WebSocketRouteDefinition[] = [];
      for (const [routeLogicalId, route] of resourcesOfType(stack, 'AWS::ApiGatewayV2::Route')) {
        if (!belongsTo(route, apiLogicalId)) continue;
        const target = route.Properties?.Target;
        const integrationLogicalId = findIntegrationLogicalId(target);
        const integration = integrationLogicalId ? resources[integrationLogicalId] : undefined;
        const functionLogicalId = integration?.Properties?.IntegrationType === 'AWS_PROXY'
          ? invokedFunctionLogicalId(stack, integration.Properties.IntegrationUri)
          : undefined;
        let authorizer: WebSocketAuthorizerDefinition | undefined;
        const authorizerLogicalId = referencedLogicalId(route.Properties?.AuthorizerId);
        if (route.Properties?.AuthorizationType === 'CUSTOM' && authorizerLogicalId) {
          const authorizerResource = resources[authorizerLogicalId];
          const authorizerFunction = invokedFunctionLogicalId(stack, authorizerResource?.Properties?.AuthorizerUri);
          if (!authorizerFunction) {
            throw new Error(`authorizer ${authorizerLogicalId} of ${apiLogicalId} invokes no Lambda function of the template`);
          }
          authorizer = {
            logicalId: authorizerLogicalId,
            functionLogicalId: authorizerFunction,
            identitySource: authorizerResource?.Properties?.IdentitySource ?? [],
          };
        }
        routes.push({
          logicalId: routeLogicalId,
          routeKey: route.Properties?.RouteKey,
          functionLogicalId,
          authorizer,
          twoWay: routeResponses.has(routeLogicalId),
        });
      }
      const stageNames = resourcesOfType(stack, 'AWS::ApiGatewayV2::Stage')
        .filter(([, r]) => belongsTo(r, apiLogicalId))
        .map(([, r]) => r.Properties?.StageName)
        .filter((name): name is string => typeof name === 'string');
      apis.push({
        stack,
        logicalId: apiLogicalId,
        name: typeof api.Properties?.Name === 'string' ? api.Properties.Name : apiLogicalId,
        routeSelectionExpression: api.Properties?.RouteSelectionExpression ?? '$request.body.action',
        routes,
        stageNames: stageNames.length > 0 ? stageNames : ['$default'],
      });
    }
  }
  return apis;
}

/** A route's Target is `Fn::Join ['', ['integrations/', {Ref: Integration}]]` in CDK output. */
function findIntegrationLogicalId(target: unknown): string | undefined {
  if (target === null || typeof target !== 'object') return undefined;
  const id = referencedLogicalId(target);
  if (id) return id;
  for (const child of Object.values(target as object)) {
    const found = findIntegrationLogicalId(child);
    if (found) return found;
  }
  return undefined;
}

/** The directory (or inline source) holding a function's code in the cloud assembly. */
export type FunctionCode =
  | { readonly kind: 'directory'; readonly directory: string }
  | { readonly kind: 'inline'; readonly source: string };

export function functionCode(fn: FunctionDefinition): FunctionCode {
  const code = fn.properties.Code ?? {};
  if (typeof code.ZipFile === 'string') return { kind: 'inline', source: code.ZipFile };
  return { kind: 'directory', directory: assetDirectory(fn.stack, fn.logicalId, code, 'function') };
}

/**
 * The directories of the function's layers (`AWS::Lambda::LayerVersion` of the same template), in order. Lambda
 * mounts them at /opt; Node.js handlers find their modules in `nodejs/node_modules` there.
 */
export function layerDirectories(fn: FunctionDefinition): string[] {
  const layers: unknown[] = Array.isArray(fn.properties.Layers) ? fn.properties.Layers : [];
  return layers.flatMap((layer) => {
    const logicalId = referencedLogicalId(layer);
    const resource = logicalId ? fn.stack.template.Resources?.[logicalId] : undefined;
    if (!logicalId || resource?.Type !== 'AWS::Lambda::LayerVersion') {
      throw new Error(`function ${fn.logicalId} of ${fn.stack.stackName}: a layer not defined in the app cannot run locally`);
    }
    return [assetDirectory(fn.stack, logicalId, resource.Properties?.Content ?? {}, 'layer')];
  });
}

function assetDirectory(stack: StackArtifact, logicalId: string, code: Record<string, unknown>, what: string): string {
  const metadataPath = (stack.template.Resources?.[logicalId]?.Metadata ?? {})['aws:asset:path'];
  let assetPath = typeof metadataPath === 'string' ? path.join(stack.assemblyDir, metadataPath) : undefined;
  if (!assetPath && typeof code.S3Key === 'string') assetPath = stack.assetPathsByObjectKey[code.S3Key];
  if (!assetPath || !existsSync(assetPath)) {
    throw new Error(`${what} ${logicalId} of ${stack.stackName}: its code asset is not in the cloud assembly`);
  }
  if (!statSync(assetPath).isDirectory()) {
    throw new Error(`${what} ${logicalId} of ${stack.stackName}: its asset ${path.basename(assetPath)} is a zip file; ` +
      'the local runtime runs directory assets (lambda.Code.fromAsset(dir)) and inline code only');
  }
  return assetPath;
}

export function findFunction(stack: StackArtifact, logicalId: string): FunctionDefinition {
  const resource = stack.template.Resources?.[logicalId];
  if (resource?.Type !== 'AWS::Lambda::Function') {
    throw new Error(`${logicalId} is not an AWS::Lambda::Function of ${stack.stackName}`);
  }
  return { stack, logicalId, properties: resource.Properties ?? {} };
}

export interface ResourceDefinition {
  readonly stack: StackArtifact;
  readonly logicalId: string;
  readonly properties: Record<string, any>;
}

export function findResources(stacks: StackArtifact[], type: string): ResourceDefinition[] {
  return stacks.flatMap((stack) => resourcesOfType(stack, type)
    .map(([logicalId, resource]) => ({ stack, logicalId, properties: resource.Properties ?? {} })));
}
