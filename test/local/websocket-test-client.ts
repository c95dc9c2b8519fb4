import WebSocket, { ClientOptions } from 'ws';

/** Opens a client (with `options.headers`, say); resolves with the open socket, or with the HTTP status that refused the handshake. */
export function connect(url: string, protocols?: string[], options?: ClientOptions): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, options);
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode });
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Opens a client that must be let in: a refused handshake rejects, naming the status. */
export async function open(url: string): Promise<WebSocket> {
  const { socket, status } = await connect(url);
  if (!socket) throw new Error(`refused with ${status}`);
  return socket;
}

/**
 * Opens a client that must be let in, trying again (at most `attempts` times in all) when the handshake fails with a
 * 5xx: on a busy machine a function past its timeout refuses a connection that has nothing wrong with it.
 */
export async function openPatiently(url: string, attempts = 3): Promise<WebSocket> {
  for (let attempt = 1; ; attempt++) {
    const { socket, status } = await connect(url);
    if (socket) return socket;
    if (status === undefined || status < 500 || attempt >= attempts) throw new Error(`refused with ${status}`);
  }
}

export function nextMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(data.toString())));
}

/** Resolves with the close code. */
export function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

/** Closes every socket still open and resolves once each has closed. */
export async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map(async (socket) => {
    if (socket.readyState === WebSocket.CLOSED) return;
    const socketClosed = closed(socket);
    socket.close();
    await socketClosed;
  }));
}
