import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { API_DESCRIPTION_METADATA_TYPE } from '../src/wire-contract';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
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
  /**
   * The metadata entries constructs of the stack wrote for tools such as this runtime (`node.addMetadata`), of the
   * types the runtime reads: the construct's API description. @default - none
   */
  readonly metadataEntries?: MetadataEntryOfConstruct[];
}

/** A metadata entry of a construct, as the synthesized app holds it (tokens resolved to CloudFormation intrinsics). */
export interface MetadataEntryOfConstruct {
  /** The construct's path, e.g. `/ChatStack/Chat`. */
  readonly constructPath: string;
  readonly type: string;
  readonly data: unknown;
}

/** A Lambda function of a template, with what the local runtime needs to run it. */
export interface FunctionDefinition {
  readonly stack: StackArtifact;
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
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
  /** The served stage's properties (its throttle settings among them), as the template holds them; none without a stage. */
  readonly servedStageProperties?: Record<string, unknown>;
}

/** The parts of `manifest.json` the local runtime reads (the CDK cloud assembly schema). */
interface AssemblyManifest {
  readonly artifacts?: Record<string, ArtifactManifest>;
}

interface ArtifactManifest {
  readonly type: string;
  readonly displayName?: string;
  /** `aws://<account>/<region>`. */
  readonly environment?: string;
  readonly dependencies?: string[];
  readonly properties?: { readonly directoryName?: string; readonly templateFile?: string; readonly stackName?: string; readonly file?: string };
  /** Construct path -> its metadata entries (older aws-cdk-lib writes them here)... */
  readonly metadata?: Record<string, MetadataEntry[]>;
  /** ...newer aws-cdk-lib in this file of the assembly, in the same form. */
  readonly additionalMetadataFile?: string;
}

interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

interface AssetManifest {
  readonly files?: Record<string, {
    readonly source?: { readonly path?: string };
    readonly destinations?: Record<string, { readonly objectKey?: unknown }>;
  }>;
}

/** Every stack of a cloud assembly, nested assemblies (CDK stages) included. */
export function readCloudAssembly(assemblyDir: string): StackArtifact[] {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new Error(`${assemblyDir} is not a cloud assembly: it has no manifest.json (run \`cdk synth\` first)`);
  }
  const manifest = readJson<AssemblyManifest>(manifestFile);
  const artifacts = manifest.artifacts ?? {};
  return Object.entries(artifacts).flatMap(([artifactId, artifact]): StackArtifact[] => {
    if (artifact.type === 'cdk:cloud-assembly') return readCloudAssembly(path.join(assemblyDir, artifact.properties?.directoryName ?? ''));
    if (artifact.type !== 'aws:cloudformation:stack') return [];
    const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(artifact.environment ?? '')?.[1];
    return [{
      stackName: artifact.properties?.stackName ?? artifact.displayName ?? artifactId,
      assemblyDir,
      template: readJson(path.join(assemblyDir, artifact.properties?.templateFile ?? '')),
      region: region && region !== 'unknown-region' ? region : undefined,
      assetPathsByObjectKey: readAssetPaths(assemblyDir, artifacts, artifact),
      metadataEntries: readMetadataEntries(assemblyDir, artifact, API_DESCRIPTION_METADATA_TYPE),
    }];
  });
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function readAssetPaths(assemblyDir: string, artifacts: Record<string, ArtifactManifest>, stackArtifact: ArtifactManifest): Record<string, string> {
  const result: Record<string, string> = {};
  for (const dependency of stackArtifact.dependencies ?? []) {
    const assetArtifact = artifacts[dependency];
    if (assetArtifact?.type !== 'cdk:asset-manifest' || !assetArtifact.properties?.file) continue;
    const assets = readJson<AssetManifest>(path.join(assemblyDir, assetArtifact.properties.file));
    for (const file of Object.values(assets.files ?? {})) {
      for (const destination of Object.values(file.destinations ?? {})) {
        if (typeof destination.objectKey === 'string' && file.source?.path) {
          result[destination.objectKey] = path.join(assemblyDir, file.source.path);
        }
      }
    }
  }
  return result;
}

/** The stack's metadata entries of one type, from the manifest and from the stack's metadata file, if any. */
function readMetadataEntries(assemblyDir: string, artifact: ArtifactManifest, type: string): MetadataEntryOfConstruct[] {
  const fromFile = artifact.additionalMetadataFile
    ? readJson<Record<string, MetadataEntry[]>>(path.join(assemblyDir, artifact.additionalMetadataFile))
    : {};
  return [artifact.metadata ?? {}, fromFile].flatMap((metadata) => Object.entries(metadata).flatMap(([constructPath, entries]) =>
    entries.filter((entry) => entry.type === type).map((entry) => ({ constructPath, type, data: entry.data }))));
}

function resourcesOfType(stack: StackArtifact, type: string): Array<[string, TemplateResource]> {
  return Object.entries(stack.template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at, or undefined for anything else. */
export function referencedLogicalId(value: unknown): string | undefined {
  const ref = valueAt(value, 'Ref');
  if (typeof ref === 'string') return ref;
  const getAtt = valueAt(value, 'Fn::GetAtt');
  if (Array.isArray(getAtt)) return typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** What a template or manifest holds at `keys` under `value`, or undefined where a step is not an object. */
export function valueAt(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
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
  return stacks.flatMap((stack) => resourcesOfType(stack, 'AWS::ApiGatewayV2::Api')
    .filter(([, api]) => api.Properties?.ProtocolType === 'WEBSOCKET')
    .map(([logicalId, api]): WebSocketApiDefinition => {
      const stages = resourcesOfType(stack, 'AWS::ApiGatewayV2::Stage')
        .filter(([, stage]) => belongsTo(stage, logicalId) && typeof stage.Properties?.StageName === 'string');
      const stageNames = stages.map(([, stage]) => String(stage.Properties?.StageName));
      const { Name: name, RouteSelectionExpression: routeSelectionExpression } = api.Properties ?? {};
      return {
        stack,
        logicalId,
        name: typeof name === 'string' ? name : logicalId,
        routeSelectionExpression: typeof routeSelectionExpression === 'string' ? routeSelectionExpression : '$request.body.action',
        routes: routesOf(stack, logicalId, typeof name === 'string' ? name : logicalId),
        stageNames: stageNames.length > 0 ? stageNames : ['$default'],
        servedStageProperties: stages[0]?.[1].Properties,
      };
    }));
}

function belongsTo(resource: TemplateResource, apiLogicalId: string): boolean {
  return referencedLogicalId(resource.Properties?.ApiId) === apiLogicalId;
}

function routesOf(stack: StackArtifact, apiLogicalId: string, apiName: string): WebSocketRouteDefinition[] {
  const routeResponses = new Set(resourcesOfType(stack, 'AWS::ApiGatewayV2::RouteResponse')
    .filter(([, routeResponse]) => belongsTo(routeResponse, apiLogicalId))
    .map(([, routeResponse]) => referencedLogicalId(routeResponse.Properties?.RouteId)));
  return resourcesOfType(stack, 'AWS::ApiGatewayV2::Route')
    .filter(([, route]) => belongsTo(route, apiLogicalId))
    .map(([logicalId, route]) => {
      const integrationLogicalId = findIntegrationLogicalId(route.Properties?.Target);
      const integration = integrationLogicalId ? stack.template.Resources?.[integrationLogicalId] : undefined;
      return {
        logicalId,
        routeKey: String(route.Properties?.RouteKey),
        functionLogicalId: integration?.Properties?.IntegrationType === 'AWS_PROXY'
          ? invokedFunctionLogicalId(stack, integration.Properties.IntegrationUri)
          : undefined,
        authorizer: authorizerOf(stack, apiLogicalId, route, `API ${apiName} (${stack.stackName}), route ${String(route.Properties?.RouteKey)}`),
        twoWay: routeResponses.has(logicalId),
      };
    });
}

/**
 * The route's REQUEST Lambda authorizer, if it has one. WebSocket routes know three authorization types: NONE,
 * CUSTOM (a Lambda REQUEST authorizer) and AWS_IAM (SigV4). The runtime emulates the first two; serving any other
 * without its check would open the route to anyone, so such an app is refused, with the way out.
 */
function authorizerOf(stack: StackArtifact, apiLogicalId: string, route: TemplateResource, where: string): WebSocketAuthorizerDefinition | undefined {
  const authorizationType = route.Properties?.AuthorizationType ?? 'NONE';
  const logicalId = referencedLogicalId(route.Properties?.AuthorizerId);
  const properties = logicalId ? stack.template.Resources?.[logicalId]?.Properties : undefined;
  if (authorizationType === 'NONE') return undefined;
  if (authorizationType !== 'CUSTOM' || !logicalId || properties?.AuthorizerType !== 'REQUEST') {
    const type = authorizationType === 'CUSTOM' ? `CUSTOM with a ${String(properties?.AuthorizerType ?? 'missing')} authorizer` : String(authorizationType);
    throw new Error(`${where}: authorization type ${type} is not emulated by the local runtime, which would then let anyone `
      + 'connect. To run this API locally, guard $connect with a Lambda REQUEST authorizer (the one CognitoAuthorizedWebSocketApi '
      + 'sets up, or your own WebSocketLambdaAuthorizer); or run the API in AWS.');
  }
  const functionLogicalId = invokedFunctionLogicalId(stack, properties?.AuthorizerUri);
  if (!functionLogicalId) {
    throw new Error(`authorizer ${logicalId} of ${apiLogicalId} invokes no Lambda function of the template`);
  }
  const identitySource = properties?.IdentitySource;
  return {
    logicalId,
    functionLogicalId,
    identitySource: Array.isArray(identitySource) ? identitySource.filter((source): source is string => typeof source === 'string') : [],
  };
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
  const inline = valueAt(fn.properties, 'Code', 'ZipFile');
  if (typeof inline === 'string') return { kind: 'inline', source: inline };
  return { kind: 'directory', directory: assetDirectory(fn.stack, fn.logicalId, fn.properties.Code, 'function') };
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
    return [assetDirectory(fn.stack, logicalId, resource.Properties?.Content, 'layer')];
  });
}

function assetDirectory(stack: StackArtifact, logicalId: string, code: unknown, what: string): string {
  const metadataPath = stack.template.Resources?.[logicalId]?.Metadata?.['aws:asset:path'];
  const objectKey = valueAt(code, 'S3Key');
  let assetPath = typeof metadataPath === 'string' ? path.join(stack.assemblyDir, metadataPath) : undefined;
  if (!assetPath && typeof objectKey === 'string') assetPath = stack.assetPathsByObjectKey[objectKey];
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
  readonly properties: Record<string, unknown>;
}

export function findResources(stacks: StackArtifact[], type: string): ResourceDefinition[] {
  return stacks.flatMap((stack) => resourcesOfType(stack, type)
    .map(([logicalId, resource]) => ({ stack, logicalId, properties: resource.Properties ?? {} })));
}
