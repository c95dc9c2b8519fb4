import { closeConnection, MessengerDeps } from '../connection-messenger';
import { ConnectionsStore, ExpiringConnection, minuteOf } from '../connections-store';
import { errorNameOf, LogWriter } from '../structured-log';

export interface SweepDeps extends Pick<MessengerDeps, 'client'> {
  readonly store: Pick<ConnectionsStore, 'connectionsExpiringIn' | 'deleteConnection'>;
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
  const outcomes = await mapWithConcurrency(expired, deps.concurrency, (connection) => closeOne(connection.connectionId, deps));
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

/** Closes one connection and deletes its row; the row stays when the connection could not be closed. */
async function closeOne(connectionId: string, deps: SweepDeps): Promise<'closed' | 'gone' | 'failed'> {
  const closed = await closeConnection(connectionId, deps);
  if (closed.status === 'failed') {
    deps.log({ handler: 'sweeper', connectionId, outcome: 'close-failed', errorName: closed.errorName });
    return 'failed';
  }
  try {
    await deps.store.deleteConnection(connectionId);
  } catch (err) {
    // The connection is closed; $disconnect or the row's TTL removes the row.
    deps.log({ handler: 'sweeper', connectionId, outcome: 'row-delete-failed', errorName: errorNameOf(err) });
  }
  return closed.status;
}

/** Runs `task` on every item, at most `concurrency` at a time, keeping the order of the results. */
async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
