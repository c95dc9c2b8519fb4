/**
 * The Lambda function URLs (`AWS::Lambda::Url`) of a synthesized app that the local runtime can serve: a backend
 * outside the WebSocket API (a webhook, a notifier) that a web page or a script calls over HTTP. Only what can be
 * served faithfully is: a URL with `AuthType: AWS_IAM` needs SigV4 verification the runtime does not emulate, and a
 * streamed response it does not implement, so those are skipped with a warning rather than served open.
 */
import { findResources, referencedLogicalId, StackArtifact, valueAt } from './cloud-assembly';

/** The `Cors` property of `AWS::Lambda::Url`. */
export interface FunctionUrlCors {
  readonly AllowOrigins?: string[];
  readonly AllowMethods?: string[];
  readonly AllowHeaders?: string[];
  readonly ExposeHeaders?: string[];
  readonly AllowCredentials?: boolean;
  readonly MaxAge?: number;
}

export interface FunctionUrlDefinition {
  readonly stack: StackArtifact;
  readonly logicalId: string;
  /** The `AWS::Lambda::Function` of the same stack the URL invokes. */
  readonly functionLogicalId: string;
  readonly cors?: FunctionUrlCors;
}

/** Every function URL of the stacks that can be served; a warning for each that cannot. */
export function findFunctionUrls(stacks: StackArtifact[], log: (entry: Record<string, unknown>) => void): FunctionUrlDefinition[] {
  return findResources(stacks, 'AWS::Lambda::Url').flatMap(({ stack, logicalId, properties }) => {
    const target = referencedLogicalId(properties.TargetFunctionArn);
    const skip = (why: string) => {
      log({ level: 'warn', message: `function URL ${stack.stackName}/${logicalId} is not served locally: ${why}` });
      return [];
    };
    if (!target || stack.template.Resources?.[target]?.Type !== 'AWS::Lambda::Function') {
      return skip('its TargetFunctionArn is not a function of the same stack');
    }
    if (properties.AuthType !== 'NONE') return skip(`AuthType ${String(properties.AuthType)} (IAM authorization) is not emulated`);
    if (properties.InvokeMode === 'RESPONSE_STREAM') return skip('response streaming is not emulated');
    const cors = valueAt(properties, 'Cors');
    return [{ stack, logicalId, functionLogicalId: target, cors: typeof cors === 'object' && cors !== null ? cors as FunctionUrlCors : undefined }];
  });
}
