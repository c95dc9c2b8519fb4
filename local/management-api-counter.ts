/**
 * What the local `@connections` APIs received, counted per connection and method, so that a test (or a developer)
 * can check that a backend reached each connection exactly once. Read-only to everyone but the APIs; counts are
 * kept for the most recent connections only, so a long session does not grow without bound.
 */

export type ManagementApiMethod = 'POST' | 'GET' | 'DELETE';

/** Requests received, by method. */
export type ManagementApiCounts = Readonly<Record<ManagementApiMethod, number>>;

/** The read-only view the local runtime exposes. */
export interface ManagementApiRequests {
  /** Requests received in all, for every connection. */
  readonly total: ManagementApiCounts;
  /** Requests received for one connection id (one that never existed too), answered or not. */
  countsOf(connectionId: string): ManagementApiCounts;
}

/** Connection ids whose counts are kept; the oldest is forgotten beyond this. */
const MAX_CONNECTIONS_COUNTED = 100_000;

const zero = (): Record<ManagementApiMethod, number> => ({ POST: 0, GET: 0, DELETE: 0 });

export class ManagementApiCounter implements ManagementApiRequests {
  private readonly byConnection = new Map<string, Record<ManagementApiMethod, number>>();
  private readonly totals = zero();

  record(connectionId: string, method: ManagementApiMethod): void {
    let counts = this.byConnection.get(connectionId);
    if (!counts) {
      counts = zero();
      this.byConnection.set(connectionId, counts);
      // A Map iterates in insertion order: the first key is the connection counted longest ago.
      if (this.byConnection.size > MAX_CONNECTIONS_COUNTED) this.byConnection.delete(this.byConnection.keys().next().value!);
    }
    counts[method] += 1;
    this.totals[method] += 1;
  }

  countsOf(connectionId: string): ManagementApiCounts {
    return { ...(this.byConnection.get(connectionId) ?? zero()) };
  }

  get total(): ManagementApiCounts {
    return { ...this.totals };
  }
}
