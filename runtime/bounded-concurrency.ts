/**
 * Runs an async step for every item of a source with at most `concurrency` steps in flight: a fixed pool of workers
 * pulls from one iterator, so a fan-out to thousands of connections holds `concurrency` requests and sockets, never
 * one per connection, and a source read page by page (a DynamoDB query or scan) is consumed as it arrives.
 */

/**
 * Resolves when every item is handled. `step` must not throw (each handles its own failure); an error the source
 * throws stops the workers pulling from it, lets the steps in flight finish, then rejects.
 */
export async function forEachConcurrently<T>(
  source: Iterable<T> | AsyncIterable<T>, concurrency: number, step: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  let sourceError: { readonly error: unknown } | undefined;
  const worker = async () => {
    while (!sourceError) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (error) {
        sourceError ??= { error };
        return;
      }
      if (next.done) return;
      await step(next.value);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (sourceError) throw sourceError.error;
}

/** Splits `total` workers over `parts` groups as evenly as possible, each group at least one. */
export function splitConcurrency(total: number, parts: number): number[] {
  const groups = Math.min(parts, total);
  return Array.from({ length: groups }, (_, index) => Math.floor(total / groups) + (index < total % groups ? 1 : 0));
}
