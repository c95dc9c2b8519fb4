import type { StackArtifact } from './cloud-assembly';

/** What a resource resolves to locally: its `Ref` value and its `Fn::GetAtt` attributes. */
export interface LocalResourceValue {
  readonly ref: string;
  readonly attributes?: Record<string, string>;
}

export interface TemplateResolverOptions {
  readonly region: string;
  readonly accountId: string;
  /** stack name -> logical id -> local value, for every resource the runtime serves. */
  readonly resources: Map<string, Map<string, LocalResourceValue>>;
}

/** Thrown for a reference the local runtime has no value for; callers decide whether that is fatal. */
export class UnresolvableReferenceError extends Error {}

/**
 * Resolves CloudFormation intrinsic functions in template values to what they are on this machine:
 * `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::If` and the condition functions,
 * `Fn::ImportValue` (against the other stacks' exports), and the pseudo parameters.
 */
export class TemplateResolver {
  private exports?: Map<unknown, { readonly stack: StackArtifact; readonly value: unknown }>;

  constructor(private readonly stacks: StackArtifact[], private readonly options: TemplateResolverOptions) {}

  resolve(stack: StackArtifact, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(stack, item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [name, argument] = entries[0] ?? [];
    if (entries.length === 1 && (name === 'Ref' || name.startsWith('Fn::') || name === 'Condition')) {
      return this.resolveIntrinsic(stack, name, argument);
    }
    const result: Record<string, unknown> = {};
    for (const [key, child] of entries) {
      const resolved = this.resolve(stack, child);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  /** Resolves and renders a scalar as the string CloudFormation would pass (environment variables). */
  resolveString(stack: StackArtifact, value: unknown): string {
    const resolved = this.resolve(stack, value);
    return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
  }

  private resolveIntrinsic(stack: StackArtifact, name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(stack, String(argument));
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split(/\.(.*)/s);
        return this.getAtt(stack, String(logicalId), String(this.resolve(stack, attribute)));
      }
      case 'Fn::Join': {
        const [separator, parts] = listOf(name, argument);
        return listOf(name, this.resolve(stack, parts)).join(String(separator));
      }
      case 'Fn::Select': {
        const [index, list] = listOf(name, this.resolve(stack, argument));
        return listOf(name, list)[Number(index)];
      }
      case 'Fn::Split': {
        const [separator, source] = listOf(name, this.resolve(stack, argument));
        return String(source).split(String(separator));
      }
      case 'Fn::Sub':
        return this.substitute(stack, argument);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = listOf(name, argument);
        return this.resolve(stack, this.condition(stack, String(condition)) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [left, right] = listOf(name, this.resolve(stack, argument));
        return JSON.stringify(left) === JSON.stringify(right);
      }
      case 'Fn::Not':
        return !this.resolve(stack, listOf(name, argument)[0]);
      case 'Fn::And':
        return listOf(name, this.resolve(stack, argument)).every(Boolean);
      case 'Fn::Or':
        return listOf(name, this.resolve(stack, argument)).some(Boolean);
      case 'Condition':
        return this.condition(stack, String(argument));
      case 'Fn::ImportValue':
        return this.importValue(this.resolve(stack, argument));
      case 'Fn::GetAZs':
        return [`${this.options.region}a`, `${this.options.region}b`, `${this.options.region}c`];
      case 'Fn::Base64':
        return Buffer.from(String(this.resolve(stack, argument))).toString('base64');
      default:
        throw new UnresolvableReferenceError(`${name} is not supported by the local runtime`);
    }
  }

  /** `Fn::Sub`: `${Name}` of its own variables, else a `Ref` or (`${Name.Attribute}`) a `Fn::GetAtt`; `${!x}` is the literal `${x}`. */
  private substitute(stack: StackArtifact, argument: unknown): string {
    const [template, variables] = Array.isArray(argument) ? argument : [argument, {}];
    const resolved = this.resolve(stack, variables);
    const own = typeof resolved === 'object' && resolved !== null ? resolved as Record<string, unknown> : {};
    return String(template).replace(/\$\{([^}!][^}]*)\}/g, (_, expression: string) => {
      if (Object.hasOwn(own, expression)) return String(own[expression]);
      const [logicalId, attribute] = expression.split(/\.(.*)/s);
      return String(attribute ? this.getAtt(stack, logicalId, attribute) : this.ref(stack, logicalId));
    }).replace(/\$\{!/g, '${');
  }

  private condition(stack: StackArtifact, name: string): boolean {
    const definition = stack.template.Conditions?.[name];
    if (definition === undefined) throw new UnresolvableReferenceError(`condition ${name} is not in ${stack.stackName}`);
    return Boolean(this.resolve(stack, definition));
  }

  private ref(stack: StackArtifact, logicalId: string): unknown {
    switch (logicalId) {
      case 'AWS::Region': return this.options.region;
      case 'AWS::AccountId': return this.options.accountId;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return stack.stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${this.options.region}:${this.options.accountId}:stack/${stack.stackName}/local`;
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::NotificationARNs': return [];
    }
    const parameter = stack.template.Parameters?.[logicalId];
    if (parameter) {
      if (parameter.Default === undefined) {
        throw new UnresolvableReferenceError(`parameter ${logicalId} of ${stack.stackName} has no default value`);
      }
      return parameter.Default;
    }
    const local = this.options.resources.get(stack.stackName)?.get(logicalId);
    if (local) return local.ref;
    throw new UnresolvableReferenceError(`${stack.stackName}/${logicalId} (${this.typeOf(stack, logicalId)}) has no local counterpart`);
  }

  private getAtt(stack: StackArtifact, logicalId: string, attribute: string): string {
    const local = this.options.resources.get(stack.stackName)?.get(logicalId);
    const value = local?.attributes?.[attribute];
    if (value !== undefined) return value;
    throw new UnresolvableReferenceError(
      `${stack.stackName}/${logicalId}.${attribute} (${this.typeOf(stack, logicalId)}) has no local counterpart`);
  }

  private importValue(exportName: unknown): unknown {
    if (!this.exports) {
      this.exports = new Map();
      for (const stack of this.stacks) {
        for (const output of Object.values(stack.template.Outputs ?? {})) {
          if (output.Export) this.exports.set(this.resolve(stack, output.Export.Name), { stack, value: output.Value });
        }
      }
    }
    const found = this.exports.get(exportName);
    if (!found) throw new UnresolvableReferenceError(`no stack exports ${String(exportName)}`);
    return this.resolve(found.stack, found.value);
  }

  private typeOf(stack: StackArtifact, logicalId: string): string {
    return stack.template.Resources?.[logicalId]?.Type ?? 'unknown resource';
  }
}

/** An intrinsic's argument that must be a list, e.g. `Fn::Join`'s `[separator, parts]`. */
function listOf(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new UnresolvableReferenceError(`${name} needs a list, got ${JSON.stringify(value)}`);
  return value;
}

/** `Ref: AWS::NoValue` removes the property that holds it. */
const NO_VALUE = Symbol('AWS::NoValue');
