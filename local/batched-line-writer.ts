import type { Writable } from 'stream';

/**
 * Writes lines to a stream gathered over one turn of the event loop, in one write: with thousands of invocations a
 * second, one write (a system call) per handler log line was a large share of the runtime's own CPU time.
 */
export class BatchedLineWriter {
  private pending: string[] = [];
  private scheduled?: NodeJS.Immediate;

  constructor(private readonly stream: Writable) {}

  /** Queues `line` (without its newline); it is written at the end of this turn of the event loop, in order. */
  write(line: string): void {
    this.pending.push(`${line}\n`);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes what is queued now. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.stream.write(text);
  }
}
