/**
 * Clients a well-behaved library would never be: raw TCP sockets that send part of a request and reset, complete a
 * WebSocket handshake and then stop reading, or write WebSocket frames by hand.
 */
import { randomBytes } from 'crypto';
import { createConnection, Socket } from 'net';

/**
 * Sends `request` (typically headers promising more body than follows), gives the server a moment to start reading
 * it, then resets the connection (TCP RST), as a client that crashes mid-request does.
 */
export function sendThenReset(port: number, request: string | Buffer, readingMs = 100): Promise<void> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1', () => {
      socket.write(request, () => setTimeout(() => socket.resetAndDestroy(), readingMs));
    });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
  });
}

/** Sends a whole request and resolves with the first line of the answer (e.g. `HTTP/1.1 400 Bad Request`), or '' if none. */
export function firstResponseLine(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = createConnection(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (data) => {
      received += data.toString('latin1');
      if (received.includes('\r\n')) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(received.split('\r\n')[0]));
  });
}

/** An upgrade request for a WebSocket at `url`, with `extraHeaders` (`Name: value` lines) added. */
export function upgradeRequest(url: string, extraHeaders: string[] = []): string {
  const { host, pathname, search } = new URL(url);
  return [
    `GET ${pathname}${search} HTTP/1.1`, `Host: ${host}`, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, ...extraHeaders, '', '',
  ].join('\r\n');
}

/**
 * Completes a WebSocket handshake over a raw socket, then never reads or answers again: the server's frames and
 * its close frame go unanswered, as with a client whose network dropped without a word, or a client that stopped
 * reading. Frames can still be written to it with `maskedFrame`.
 */
export function openAndStall(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection(Number(port), hostname, () => socket.write(upgradeRequest(url)));
    socket.once('data', (data) => {
      socket.pause();
      if (String(data).startsWith('HTTP/1.1 101 ')) resolve(socket);
      else reject(new Error(`handshake refused: ${String(data).split('\r\n')[0]}`));
    });
    socket.once('error', reject);
  });
}

/**
 * One client-to-server WebSocket frame: a text frame's first part (opcode 1) or a continuation (0). Clients must
 * mask; this one masks with a zero key (legal, and the payload stays as given), which a server cannot tell apart.
 */
export function maskedFrame(payload: Buffer, options: { opcode: 0 | 1; fin: boolean }): Buffer {
  const MASKED = 0x80;
  const length = payload.length;
  const header = length < 126 ? Buffer.from([MASKED + length])
    : length < 65536 ? Buffer.from([MASKED + 126, Math.floor(length / 256), length % 256])
      : Buffer.concat([Buffer.from([MASKED + 127]), bigEndian64(length)]);
  const zeroMask = Buffer.alloc(4);
  return Buffer.concat([Buffer.from([(options.fin ? 0x80 : 0) + options.opcode]), header, zeroMask, payload]);
}

/** A text message split into frames of at most `frameBytes`, as a client that fragments its messages sends it. */
export function fragmentedTextMessage(payload: Buffer, frameBytes: number): Buffer {
  const frames: Buffer[] = [];
  for (let offset = 0; offset < payload.length; offset += frameBytes) {
    const fin = offset + frameBytes >= payload.length;
    frames.push(maskedFrame(payload.subarray(offset, offset + frameBytes), { opcode: offset === 0 ? 1 : 0, fin }));
  }
  return Buffer.concat(frames);
}

function bigEndian64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}
