/**
 * What a send or a disconnect did to each connection it reached, and the tally that collects it while requests are
 * in flight.
 */
import type { CallOutcome } from './retry-policy';

/** A connection the call could not reach, and why. */
export interface FailedConnection {
  readonly connectionId: string;
  /**
   * Why: the error's name and HTTP status when the management API answered (`PayloadTooLargeException (HTTP 413)`,
   * never the answer's body), else the client's error (`TimeoutError: ...`, `CredentialsProviderError: ...`).
   */
  readonly reason: string;
  /** The management API's HTTP status, when it answered. */
  readonly statusCode?: number;
  /** Attempts made, retries included. */
  readonly attempts: number;
}

/** The result of `sendToUser`, `sendToConnection`, `sendToConnections` and `broadcast`. */
export interface SendResult {
  /** Connections the management API accepted the message for. */
  readonly delivered: string[];
  /** Connections that no longer exist (410 `GoneException`); their rows were deleted. */
  readonly gone: string[];
  /** Connections the message could not be posted to, after the retries the failure allowed. */
  readonly failed: FailedConnection[];
}

/** The result of `disconnect` and `disconnectUser`. */
export interface DisconnectResult {
  /** Connections API Gateway closed; their rows were deleted. */
  readonly disconnected: string[];
  /** Connections that had already ended (410 `GoneException`); their rows were deleted. */
  readonly gone: string[];
  /** Connections that could not be closed, after the retries the failure allowed; their rows were kept. */
  readonly failed: FailedConnection[];
}

/** Collects outcomes as they settle, in the order they settle. */
export class OutcomeTally {
  readonly succeeded: string[] = [];
  readonly gone: string[] = [];
  readonly failed: FailedConnection[] = [];

  record(connectionId: string, outcome: CallOutcome): void {
    if (outcome.status === 'ok') {
      this.succeeded.push(connectionId);
    } else if (outcome.status === 'gone') {
      this.gone.push(connectionId);
    } else {
      const { reason, statusCode, attempts } = outcome;
      this.failed.push(statusCode === undefined ? { connectionId, reason, attempts } : { connectionId, reason, statusCode, attempts });
    }
  }

  toSendResult(): SendResult {
    return { delivered: this.succeeded, gone: this.gone, failed: this.failed };
  }

  toDisconnectResult(): DisconnectResult {
    return { disconnected: this.succeeded, gone: this.gone, failed: this.failed };
  }
}

/**
 * Thrown by `broadcast` when listing the connections failed part way (a scan segment's DynamoDB error, after the
 * SDK's own retries): the messages already posted stand, and `result` says which.
 */
export class BroadcastIncompleteError extends Error {
  override readonly name = 'BroadcastIncompleteError';

  constructor(readonly result: SendResult, override readonly cause: unknown) {
    super(`broadcast stopped listing connections (${cause instanceof Error ? cause.name : 'error'}) after reaching ` +
      `${result.delivered.length + result.gone.length + result.failed.length} of them; see .result and .cause`);
  }
}
