/**
 * The environment variables that point the runtime API (`WebSocketConnections.fromEnvironment()`) at one API's
 * connections table and @connections endpoint, set on the functions that use it.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/** A function this app defines, which can take environment variables (an imported one cannot). */
export type FunctionWithEnvironment = lambda.IFunction & Pick<lambda.Function, 'addEnvironment'>;

/** Which API's connections each function already reaches: one function reaches one API's through these variables. */
const environmentOwners = new WeakMap<lambda.IFunction, IConstruct>();

export function canTakeEnvironment(fn: lambda.IFunction): fn is FunctionWithEnvironment {
  return typeof (fn as Partial<FunctionWithEnvironment>).addEnvironment === 'function';
}

/** Sets the variables on `fn` for the API `owner`; refuses a function another API already set them on. */
export function setConnectionsEnvironment(fn: FunctionWithEnvironment, environment: Record<string, string>, owner: IConstruct): void {
  const previous = environmentOwners.get(fn);
  if (previous && previous !== owner) {
    throw new Error(
      `${fn.node.path} already reaches the connections of ${previous.node.path} through ${Object.keys(environment).join(' and ')}; ` +
      `it cannot also reach those of ${owner.node.path} through the same variables. Give each API its own function, or construct ` +
      'new WebSocketConnections({ tableName, callbackUrl }) for the second API from variables you set yourself');
  }
  environmentOwners.set(fn, owner);
  for (const [name, value] of Object.entries(environment)) {
    fn.addEnvironment(name, value);
  }
}
