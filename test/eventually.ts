/** How long a poll waits by default: far longer than anything a passing test waits for, far shorter than a test's timeout. */
export const DEFAULT_POLL_DEADLINE_MS = 10_000;

/**
 * Polls `probe` until `accept` takes its value, and returns that value. Fails once `deadlineMs` has passed,
 * naming what it waited for and the last value seen, so a test that cannot get there says why instead of
 * running into the test timeout.
 */
export async function eventually<T>(
  what: string, probe: () => T | Promise<T>, accept: (value: T) => boolean, deadlineMs = DEFAULT_POLL_DEADLINE_MS,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() >= deadline) {
      throw new Error(`gave up after ${deadlineMs} ms waiting for ${what}; last seen: ${describe(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until `condition` holds; fails naming `what` once `deadlineMs` has passed. */
export async function waitFor(what: string, condition: () => boolean, deadlineMs = DEFAULT_POLL_DEADLINE_MS): Promise<void> {
  await eventually(what, condition, (held) => held, deadlineMs);
}

function describe(value: unknown): string {
  try {
    // Sets and Maps are told by their size: JSON would show them as {}.
    const sized = (_key: string, item: unknown) => (item instanceof Set || item instanceof Map ? `${item.constructor.name}(${item.size})` : item);
    return JSON.stringify(value, sized)?.slice(0, 300) ?? String(value);
  } catch {
    return String(value);
  }
}
