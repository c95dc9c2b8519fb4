/**
 * The outputs of the app's stacks as they are on this machine, in the shape `cdk deploy --outputs-file` writes
 * (`{ <stack>: { <output>: <value> } }`), so that a web page written for a deployed stack's outputs finds the local
 * endpoints the same way. An output the runtime has no local value for is left out.
 */
import type { StackArtifact } from './cloud-assembly';
import { TemplateResolver, UnresolvableReferenceError } from './template-resolver';

export type StackOutputs = Record<string, Record<string, string>>;

export function localStackOutputs(stacks: StackArtifact[], resolver: TemplateResolver, localizeUrls: (value: string) => string): StackOutputs {
  const outputs: StackOutputs = {};
  for (const stack of stacks) {
    for (const [key, output] of Object.entries(stack.template.Outputs ?? {})) {
      try {
        (outputs[stack.stackName] ??= {})[key] = localizeUrls(resolver.resolveString(stack, output.Value));
      } catch (error) {
        if (!(error instanceof UnresolvableReferenceError)) throw error;
      }
    }
  }
  return outputs;
}
