import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that forwards every request to `upstream` and throws every response away: the request
 * takes effect, its sender never learns so (a lost response). Counts the connections it forwarded.
 */
export class ResponseDroppingProxy {
  static async start(upstream: string): Promise<ResponseDroppingProxy> {
    const proxy = new ResponseDroppingProxy(new URL(upstream));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  connections = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(upstream: URL) {
    this.server = createServer((client) => {
      this.connections++;
      const server = createConnection({ host: upstream.hostname, port: Number(upstream.port) });
      for (const socket of [client, server]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(server);
      server.on('data', () => undefined); // read and dropped
      client.once('close', () => server.destroy());
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
