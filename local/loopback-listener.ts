/**
 * Every server of the local runtime (web client and identity endpoint, DynamoDB, each gateway) listens on
 * 127.0.0.1 only, serves only the requests the loopback request policy lets in (a loopback `Host`, an allowed
 * `Origin`), and stopping the runtime must free its ports at once: a keep-alive connection, a request in flight or
 * an upgraded WebSocket must not hold a port open after `stop()`.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AllowedOrigins, applyRequestPolicy } from './loopback-request-policy';

/** A server listening on 127.0.0.1. */
export interface LoopbackListener {
  readonly port: number;
  /** Stops accepting (if not stopped already), ends every open connection, and resolves once the port is free. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 at `port` (0: an ephemeral port), behind the request policy with these allowed origins;
 * rejects if the port is taken. The server's request and upgrade handlers must be in place already.
 */
export async function listenOnLoopback(server: HttpServer, port = 0, origins = AllowedOrigins.LOOPBACK_ONLY): Promise<LoopbackListener> {
  applyRequestPolicy(server, origins);
  const sockets = new Set<Socket>();
  // Every socket, upgraded ones included, which an HTTP server's closeAllConnections() no longer sees.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      if (server.listening) server.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
