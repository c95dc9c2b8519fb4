/**
 * The client side of figure 6: real `ws` clients on loopback that open connections with bounded concurrency and echo
 * messages one after the other per connection, all connections at once, timing each round trip.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** Handshakes in flight at once while opening: a browser fleet reconnecting, not one socket at a time. */
const OPEN_CONCURRENCY = 200;
/** A handshake or an echo that takes longer than this fails the measurement instead of hanging it. */
const STEP_DEADLINE_MS = 120_000;

export interface OpenedConnections {
  readonly sockets: WebSocket[];
  readonly connectsPerSecond: number;
}

/** Opens `count` connections to `url`, `OPEN_CONCURRENCY` handshakes at a time; every one must succeed. */
export async function openConnections(url: string, count: number): Promise<OpenedConnections> {
  const sockets: WebSocket[] = [];
  let next = 0;
  const start = performance.now();
  const opener = async () => {
    while (next < count) {
      next++;
      sockets.push(await openOne(url));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, count) }, opener));
  } catch (error) {
    closeAll(sockets);
    throw error;
  }
  return { sockets, connectsPerSecond: count / ((performance.now() - start) / 1000) };
}

function openOne(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { handshakeTimeout: STEP_DEADLINE_MS });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate();
      reject(new Error(`a handshake was refused with HTTP ${response.statusCode}`));
    });
    socket.once('error', reject);
  });
}

/** Attempts of the warm-up connection: the first may meet a cold start longer than the function's timeout. */
const WARM_UP_ATTEMPTS = 3;

/**
 * One connection that connects, echoes once and closes before anything is timed: the function workers start (a cold
 * start each) and stay warm, as a Lambda container is warm after its first invocation.
 */
export async function warmUp(url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { sockets } = await openConnections(url, 1);
      try {
        return await echoRound(sockets, 1).then(() => undefined);
      } finally {
        closeAll(sockets);
      }
    } catch (error) {
      if (attempt === WARM_UP_ATTEMPTS) throw error;
    }
  }
}

export interface EchoRound {
  /** Round trip of every message, in milliseconds, ascending. */
  readonly roundTripsMs: number[];
  readonly messagesPerSecond: number;
}

/**
 * Every socket sends `messagesPerConnection` messages, each after the echo of the one before, all sockets at once.
 * An echo must carry the message sent (`{"message": …}` or the message itself, for the bare server).
 */
export async function echoRound(sockets: readonly WebSocket[], messagesPerConnection: number): Promise<EchoRound> {
  const roundTripsMs: number[] = [];
  const start = performance.now();
  await Promise.all(sockets.map((socket, index) => echoOnSocket(socket, index, messagesPerConnection, roundTripsMs)));
  const seconds = (performance.now() - start) / 1000;
  return { roundTripsMs: roundTripsMs.sort((a, b) => a - b), messagesPerSecond: (sockets.length * messagesPerConnection) / seconds };
}

function echoOnSocket(socket: WebSocket, index: number, messages: number, roundTripsMs: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let sentAt = 0;
    const timer = setTimeout(() => fail(new Error(`connection ${index} got ${sent - 1} of ${messages} echoes within ${STEP_DEADLINE_MS} ms`)), STEP_DEADLINE_MS);
    const sendNext = () => {
      sentAt = performance.now();
      socket.send(`${index}-${sent++}`);
    };
    const onMessage = (data: WebSocket.RawData) => {
      const text = data.toString();
      if (!text.includes(`"${index}-${sent - 1}"`) && text !== `${index}-${sent - 1}`) return fail(new Error(`connection ${index} got a wrong echo: ${text.slice(0, 80)}`));
      roundTripsMs.push(performance.now() - sentAt);
      if (sent < messages) return sendNext();
      done();
      resolve();
    };
    const onClose = () => fail(new Error(`connection ${index} closed during the echo round`));
    const done = () => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    const fail = (error: Error) => {
      done();
      reject(error);
    };
    socket.on('message', onMessage);
    socket.once('close', onClose);
    sendNext();
  });
}

/** Waits for every socket to be closed by the server (after its stop), up to `deadlineMs`. */
export function allClosed(sockets: readonly WebSocket[], deadlineMs: number): Promise<void> {
  const closed = sockets.map((socket) => socket.readyState === WebSocket.CLOSED
    ? Promise.resolve()
    : new Promise<void>((resolve) => socket.once('close', () => resolve())));
  return withDeadline(Promise.all(closed).then(() => undefined), deadlineMs, 'every connection to close');
}

export function closeAll(sockets: readonly WebSocket[]): void {
  for (const socket of sockets) socket.terminate();
}

export function withDeadline<T>(promise: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${deadlineMs} ms for ${what}`)), deadlineMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
