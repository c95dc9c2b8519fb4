/**
 * One warm "container" of a Lambda function: a child process (forked by FunctionRunner) that loads the
 * function's handler from its code directory once and runs one invocation at a time, as Lambda does.
 *
 * argv: <code directory> <handler string, e.g. index.handler>
 * IPC: an InvokeMessage in, a ResultMessage or ErrorMessage out (function-messages.ts).
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { ErrorMessage, InitDoneMessage, InvocationContext, InvokeMessage, ResultMessage } from './function-messages';

type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

const [codeDirectory, handlerString] = process.argv.slice(2);
let handlerPromise: Promise<Handler> | undefined;

// Kept out of the bundle's static analysis so esbuild leaves a real dynamic import for ES module handlers.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function loadHandler(): Promise<Handler> {
  const lastDot = handlerString.lastIndexOf('.');
  const modulePath = path.resolve(codeDirectory, handlerString.slice(0, lastDot));
  const exportName = handlerString.slice(lastDot + 1);
  const loaded = await loadModule(modulePath);
  const handler = exportName.split('.').reduce<unknown>((owner, key) => isObject(owner) ? owner[key] : undefined, loaded);
  if (typeof handler !== 'function') {
    const error = new Error(`${handlerString} is undefined or not exported`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return handler as Handler;
}

/**
 * As Lambda's own loader: `require` for CommonJS, then `import()` of `.mjs`, `.js`, `.cjs` for an ES module. Only a
 * handler file that `require` cannot find or load leads to `import()`: an error of the module itself (a dependency
 * it cannot find) is the invocation's error, as in Lambda, not hidden behind the last extension tried.
 */
async function loadModule(modulePath: string): Promise<unknown> {
  let resolved: string | undefined;
  try {
    resolved = require.resolve(modulePath, { paths: [codeDirectory] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Lambda's own loader uses require for CommonJS handlers
    return require(resolved);
  } catch (error) {
    const code = isObject(error) ? error.code : undefined;
    if (code !== 'ERR_REQUIRE_ESM' && !(code === 'MODULE_NOT_FOUND' && resolved === undefined)) throw error;
    let lastError = error;
    for (const extension of ['.mjs', '.js', '.cjs']) {
      try {
        return await importModule(pathToFileURL(modulePath + extension).href);
      } catch (importError) {
        lastError = importError;
      }
    }
    throw lastError;
  }
}

function lambdaContext(context: InvocationContext) {
  let callbackWaitsForEmptyEventLoop = true;
  return {
    ...context,
    get callbackWaitsForEmptyEventLoop() { return callbackWaitsForEmptyEventLoop; },
    set callbackWaitsForEmptyEventLoop(value: boolean) { callbackWaitsForEmptyEventLoop = value; },
    getRemainingTimeInMillis: () => Math.max(0, context.deadlineMs - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function invokeHandler(handler: Handler, message: InvokeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // A handler of arity 3 answers through the callback; any other through its return value or promise.
    const callback = (error: unknown, result?: unknown) => (error ? reject(error) : resolve(result));
    try {
      const returned = handler(message.event, lambdaContext(message.context), callback);
      if (handler.length < 3 || (isObject(returned) && typeof returned.then === 'function')) {
        Promise.resolve(returned).then(resolve, reject);
      }
    } catch (error) {
      reject(error);
    }
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

process.on('message', (message: InvokeMessage) => {
  void (async () => {
    let reply: ResultMessage | ErrorMessage;
    try {
      handlerPromise ??= loadHandler();
      const result = await invokeHandler(await handlerPromise, message);
      // Lambda hands the caller the result as JSON: functions dropped, dates as strings, a result JSON
      // cannot carry (a cycle, a BigInt) fails the invocation. The IPC channel's structured clone would differ.
      reply = { id: message.id, ok: true, result: JSON.parse(JSON.stringify(result ?? null)) };
    } catch (error) {
      // Lambda reports a thrown string as errorType "string"; an Error by its name.
      const errorType = error instanceof Error ? error.name : typeof error;
      const errorMessage = error instanceof Error ? error.message : String(error);
      reply = { id: message.id, ok: false, errorType, errorMessage };
    }
    process.send!(reply);
  })();
});

// Lambda's init phase: the handler's module loads when the process starts, before the first invocation, and the
// runner starts an invocation's timeout only once this is over. A module that fails to load fails each invocation.
handlerPromise = loadHandler();
const initDone: InitDoneMessage = { initDone: true };
handlerPromise.then(() => process.send!(initDone), () => process.send!(initDone));

// The parent owns this process's life: Ctrl-C reaches the whole process group, but the runtime must still run
// $disconnect for open connections while it stops, so the worker ignores SIGINT and exits when the parent
// kills it or its IPC channel closes.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0));
