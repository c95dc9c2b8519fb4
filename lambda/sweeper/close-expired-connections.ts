import type { DisconnectResult, WebSocketConnections } from '../../runtime';
import { forEachConcurrently } from '../../runtime/bounded-concurrency';
import { ConnectionsStore, ExpiringConnection, minuteOf } from '../connections-store';
import { LogWriter } from '../structured-log';

export interface SweepDeps {
  readonly store: Pick<ConnectionsStore, 'connectionsExpiringIn'>;
  /** The runtime API: closes a connection (DELETE @connections, retrying throttling) and deletes its row. */
  readonly connections: Pick<WebSocketConnections, 'disconnect'>;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** How many minutes before the current one are looked at again: runs that failed or never ran are made up for. */
  readonly windowMinutes: number;
  /** DeleteConnection calls in flight at once. */
  readonly concurrency: number;
  readonly log: LogWriter;
}

/** What one run did, also its one log line. */
export interface SweepSummary {
  readonly minutes: number;
  readonly closed: number;
  readonly gone: number;
  readonly failed: number;
  /** Listed under a swept minute but not expired yet (the current minute's later seconds): left for the next run. */
  readonly notYetExpired: number;
}

type CloseOutcome = 'closed' | 'gone' | 'failed';

/**
 * Closes every connection whose token has expired, without scanning the table: it queries `expiryIndex` for the
 * current minute and the `windowMinutes` before it (an expired row is deleted once closed, so a minute already swept
 * costs one empty query). Each connection is closed through the management API (410: it was already gone) and its
 * row deleted; a connection that could not be closed keeps its row, so the next run tries again.
 */
export async function closeExpiredConnections(deps: SweepDeps): Promise<SweepSummary> {
  const nowSeconds = Math.floor(deps.now() / 1000);
  const currentMinute = minuteOf(nowSeconds);
  const listed: ExpiringConnection[] = [];
  for (let minute = currentMinute - deps.windowMinutes; minute <= currentMinute; minute++) {
    listed.push(...await deps.store.connectionsExpiringIn(minute));
  }
  const expired = listed.filter((connection) => connection.expiresAt <= nowSeconds);
  const outcomes: CloseOutcome[] = [];
  await forEachConcurrently(expired, deps.concurrency, async (connection) => {
    outcomes.push(await closeOne(connection.connectionId, deps));
  });
  const summary: SweepSummary = {
    minutes: deps.windowMinutes + 1,
    closed: outcomes.filter((outcome) => outcome === 'closed').length,
    gone: outcomes.filter((outcome) => outcome === 'gone').length,
    failed: outcomes.filter((outcome) => outcome === 'failed').length,
    notYetExpired: listed.length - expired.length,
  };
  deps.log({ handler: 'sweeper', outcome: summary.failed > 0 ? 'partial' : 'swept', ...summary });
  return summary;
}

/** Closes one connection; the runtime API deletes its row unless it could not be closed. */
async function closeOne(connectionId: string, deps: SweepDeps): Promise<CloseOutcome> {
  const result: DisconnectResult = await deps.connections.disconnect(connectionId);
  const [failure] = result.failed;
  if (failure) {
    const { reason, statusCode, attempts } = failure;
    deps.log({ handler: 'sweeper', connectionId, outcome: 'close-failed', reason, statusCode, attempts });
    return 'failed';
  }
  return result.gone.length > 0 ? 'gone' : 'closed';
}
