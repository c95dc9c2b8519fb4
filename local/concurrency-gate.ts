/**
 * Lets at most `limit` tasks run at once and starts the others in the order they arrived, as each running one
 * ends. The gateway runs `$disconnect` through one, so 10,000 connections closing at once (a stop, a network
 * drop) reach the function runner a few at a time instead of as 10,000 events filling its bounded queue.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a concurrency gate needs a limit of 1 or more, not ${limit}`);
  }

  /** Tasks started and not yet ended, plus those waiting to start. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  /** Runs `task` once fewer than `limit` tasks run; settles as the task does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
