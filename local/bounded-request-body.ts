/** Reads an HTTP request's body into memory up to a limit, so that no client can make a listener hold more. */
import type { IncomingMessage } from 'node:http';

/** The request's body, or undefined when it is over `maxBytes` (the rest is read and dropped, not kept). */
export function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= maxBytes ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
}
