/**
 * Turns each Lambda function behind a route or authorizer of the served APIs into a LocalFunction, as its template
 * defines it: its code (an asset directory of the cloud assembly, or inline code written to a directory, as Lambda
 * writes it to index.js), handler, timeout and memory, its layers' modules, and its environment with every
 * reference resolved to a local resource and every API URL pointed at this machine.
 */
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { findFunction, FunctionDefinition, functionCode, layerDirectories, WebSocketApiDefinition } from './cloud-assembly';
import type { LocalFunction } from './function-runner';
import { LOWER_ALPHANUMERIC, stableId } from './ids';
import { executeApiHost, functionUrlHost, LocalResourceNames } from './local-resource-names';
import { TemplateResolver, UnresolvableReferenceError } from './template-resolver';

export interface FunctionRegistrationContext {
  readonly names: LocalResourceNames;
  readonly resolver: TemplateResolver;
  /** Where inline code is written, a directory per function. */
  readonly inlineCodeDirectory: string;
  /** Rewrites the API URLs in an environment value to this machine's (see `apiUrlLocalizer`). */
  readonly localizeUrls: (value: string) => string;
  /** Receives a warning for each function that cannot run. */
  readonly log: (entry: Record<string, unknown>) => void;
}

/** Every function the APIs' routes and `$connect` authorizers invoke, once each; non-Node.js functions are skipped with a warning. */
export function routeFunctions(apis: WebSocketApiDefinition[], context: FunctionRegistrationContext): LocalFunction[] {
  const seen = new Set<string>();
  const functions: LocalFunction[] = [];
  for (const api of apis) {
    for (const route of api.routes) {
      for (const logicalId of [route.functionLogicalId, route.authorizer?.functionLogicalId]) {
        if (!logicalId || seen.has(`${api.stack.stackName}/${logicalId}`)) continue;
        seen.add(`${api.stack.stackName}/${logicalId}`);
        const local = localFunction(findFunction(api.stack, logicalId), context);
        if (local) functions.push(local);
      }
    }
  }
  return functions;
}

/** The function as the runner runs it, or undefined (with a warning) for a runtime other than Node.js. */
export function localFunction(fn: FunctionDefinition, context: FunctionRegistrationContext): LocalFunction | undefined {
  const runtime = String(fn.properties.Runtime ?? '');
  if (!runtime.startsWith('nodejs')) {
    context.log({ level: 'warn', message: `${fn.logicalId} uses ${runtime || 'an unknown runtime'}; only Node.js functions run locally` });
    return undefined;
  }
  const name = context.names.nameOf(fn.stack, fn.logicalId);
  return {
    name,
    codeDirectory: codeDirectory(fn, path.join(context.inlineCodeDirectory, inlineCodeDirectoryName(fn))),
    handler: String(fn.properties.Handler ?? 'index.handler'),
    timeoutSeconds: Number(fn.properties.Timeout ?? 3),
    memorySizeMb: Number(fn.properties.MemorySize ?? 128),
    environment: functionEnvironment(fn, context),
  };
}

/**
 * Rewrites `wss://` and `https://` URLs of the served APIs, and `https://` URLs of the served function URLs (as the
 * template resolves them), to the local listeners.
 */
export function apiUrlLocalizer(gateways: ReadonlyArray<{ readonly apiId: string; readonly port: number }>,
  region: string, functionUrls: ReadonlyArray<{ readonly urlId: string; readonly port: number }> = []): (value: string) => string {
  const escape = (host: string) => host.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const rewrites = [
    ...gateways.flatMap(({ apiId, port }) => {
      const host = escape(executeApiHost(apiId, region));
      return [{ from: new RegExp(`wss://${host}`, 'g'), to: `ws://127.0.0.1:${port}` }, { from: new RegExp(`https://${host}`, 'g'), to: `http://127.0.0.1:${port}` }];
    }),
    ...functionUrls.map(({ urlId, port }) => ({ from: new RegExp(`https://${escape(functionUrlHost(urlId, region))}`, 'g'), to: `http://127.0.0.1:${port}` })),
  ];
  return (value) => rewrites.reduce((text, { from, to }) => text.replace(from, to), value);
}

/**
 * The directory name of a function's inline code: derived from its stack and logical id, never from its
 * FunctionName, which the template sets to anything (`../../x` would write outside the runtime's directory).
 */
function inlineCodeDirectoryName(fn: FunctionDefinition): string {
  return `${fn.logicalId.replace(/[^A-Za-z0-9]/g, '')}-${stableId(`${fn.stack.stackName}/${fn.logicalId}`, 12, LOWER_ALPHANUMERIC)}`;
}

function codeDirectory(fn: FunctionDefinition, inlineDirectory: string): string {
  const code = functionCode(fn);
  if (code.kind === 'directory') return code.directory;
  mkdirSync(inlineDirectory, { recursive: true });
  writeFileSync(path.join(inlineDirectory, 'index.js'), code.source);
  return inlineDirectory;
}

/**
 * The template's variables, resolved. One that cannot be resolved locally stops the start: left empty, a variable
 * such as REQUIRED_GROUPS would silently turn its check off.
 */
function functionEnvironment(fn: FunctionDefinition, context: FunctionRegistrationContext): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(variablesOf(fn))) {
    try {
      environment[key] = context.localizeUrls(context.resolver.resolveString(fn.stack, value));
    } catch (error) {
      if (!(error instanceof UnresolvableReferenceError)) throw error;
      throw new Error(`function ${fn.logicalId} (${fn.stack.stackName}): environment variable ${key} cannot be resolved locally `
        + `(${error.message}), and the runtime does not run a function with a value it made up. To run it locally, give it a `
        + 'value the app defines (a literal, or a reference to a resource of the app, e.g. through a context value or a '
        + 'stack parameter with a default); or run the function in AWS.');
    }
  }
  // Where Lambda's Node.js runtime looks for a layer's modules (NODE_PATH under /opt), here in the layer assets.
  const layerModules = layerDirectories(fn).flatMap((layer) => [
    path.join(layer, 'nodejs', 'node22', 'node_modules'),
    path.join(layer, 'nodejs', 'node_modules'),
  ]);
  if (layerModules.length > 0 && environment.NODE_PATH === undefined) environment.NODE_PATH = layerModules.join(path.delimiter);
  return environment;
}

function variablesOf(fn: FunctionDefinition): Record<string, unknown> {
  const environment = fn.properties.Environment;
  const variables = typeof environment === 'object' && environment !== null ? (environment as Record<string, unknown>).Variables : undefined;
  return typeof variables === 'object' && variables !== null ? variables as Record<string, unknown> : {};
}
