/**
 * The Lambda runtime of the bundled handlers: the newest Node.js runtime the installed aws-cdk-lib knows, so a
 * stack gets each new runtime by upgrading aws-cdk-lib (the check cdk-nag's `AwsSolutions-L1` makes), and never
 * one older than Node.js 22, the oldest the bundles are built for.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The oldest Node.js major the bundles run on (esbuild target `node22`). */
export const OLDEST_HANDLER_NODE_MAJOR = 22;

/** The Node.js major of `runtime` (`nodejs22.x` is 22), or `undefined` when it is not a Node.js runtime. */
export function nodeMajorOf(runtime: lambda.Runtime): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime.name);
  return match ? Number(match[1]) : undefined;
}

/** The newest Node.js runtime of `lambda.Runtime.ALL`, at least Node.js 22. */
export function newestNodeRuntime(): lambda.Runtime {
  let newest = lambda.Runtime.NODEJS_22_X;
  for (const runtime of lambda.Runtime.ALL) {
    const major = nodeMajorOf(runtime);
    if (major !== undefined && major > nodeMajorOf(newest)!) {
      newest = runtime;
    }
  }
  return newest;
}

/** Whether `runtime` is the newest Node.js runtime the installed aws-cdk-lib knows. */
export function isNewestNodeRuntime(runtime: lambda.Runtime): boolean {
  return runtime.name === newestNodeRuntime().name;
}
