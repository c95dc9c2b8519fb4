/**
 * The messages FunctionRunner and a function worker exchange over the worker's IPC channel: one invocation in,
 * its result or its error out, matched by `id`. Both sides import these types, so neither can send what the other
 * does not read.
 */

/** What the worker turns into the handler's Lambda context (plus `getRemainingTimeInMillis` from `deadlineMs`). */
export interface InvocationContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Epoch milliseconds at which the function's timeout ends the invocation. */
  readonly deadlineMs: number;
}

/** Runner to worker: run the handler once with `event`. */
export interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
  readonly context: InvocationContext;
}

/** Worker to runner: the handler's result, already passed through JSON as Lambda passes it. */
export interface ResultMessage {
  readonly id: number;
  readonly ok: true;
  readonly result: unknown;
}

/** Worker to runner: the handler failed, as Lambda reports it. */
export interface ErrorMessage {
  readonly id: number;
  readonly ok: false;
  readonly errorType: string;
  readonly errorMessage: string;
}

export type WorkerReply = ResultMessage | ErrorMessage;

/**
 * Worker to runner, once, before any reply: Lambda's init phase is over (the handler's module loaded, or failed to:
 * that error is then each invocation's). Init has its own limit in Lambda and does not count against the timeout.
 */
export interface InitDoneMessage {
  readonly initDone: true;
}

export function isInitDone(message: unknown): message is InitDoneMessage {
  return typeof message === 'object' && message !== null && (message as Partial<InitDoneMessage>).initDone === true;
}

/** True for a message a worker sends; anything else on the channel is ignored. */
export function isWorkerReply(message: unknown): message is WorkerReply {
  if (typeof message !== 'object' || message === null) return false;
  const reply = message as Partial<Record<keyof ErrorMessage | keyof ResultMessage, unknown>>;
  return typeof reply.id === 'number'
    && (reply.ok === true || (reply.ok === false && typeof reply.errorType === 'string' && typeof reply.errorMessage === 'string'));
}
