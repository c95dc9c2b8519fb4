import { createServer, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { interceptCognitoJwks } from '../../local/jwks-interceptor';

/** How the server answers the JWKS request; each is a way the real endpoint can fail, or not. */
export type JwksAnswer =
  | 'key-set'
  /** Accepts the request and never answers, as a black-holed endpoint does. */
  | 'hang'
  /** 502 with an HTML page, as a proxy in front of an overloaded endpoint answers. */
  | 'html-502'
  /** 200 with JSON that is not a key set. */
  | 'not-a-key-set'
  /** 200 with a key set that has no key. */
  | 'empty-key-set';

/**
 * A real HTTP server on 127.0.0.1 serving a user pool's JWKS at Cognito's path, switchable between faults, counting
 * the JWKS requests it receives. `divert()` makes this process's https requests for the pool's Cognito JWKS URL
 * reach it, as the local runtime's preload does for a handler: aws-jwt-verify's own fetcher (with its https
 * request, timeouts and retry) runs unchanged.
 */
export class LocalJwksServer {
  static async start(userPoolId: string, jwks: unknown): Promise<LocalJwksServer> {
    const server = new LocalJwksServer(userPoolId, jwks);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  answer: JwksAnswer = 'key-set';
  /** JWKS requests received, whatever the answer. */
  requests = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  /** The key set served; replace it to rotate keys. */
  private constructor(private readonly userPoolId: string, public jwks: unknown) {
    this.server = createServer((request, response) => {
      if (request.url !== `/${this.userPoolId}/.well-known/jwks.json`) {
        response.writeHead(404).end();
        return;
      }
      this.requests++;
      switch (this.answer) {
        case 'hang': return;
        case 'html-502': return void response.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
        case 'not-a-key-set': return void sendJson(response, { message: 'Internal error' });
        case 'empty-key-set': return void sendJson(response, { keys: [] });
        case 'key-set': return void sendJson(response, this.jwks);
      }
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Diverts the pool's Cognito JWKS URL to this server until the returned function is called. */
  divert(): () => void {
    return interceptCognitoJwks(this.endpoint);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** An http:// endpoint on 127.0.0.1 where nothing listens: a connection to it is refused. */
export async function refusingEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function sendJson(response: import('node:http').ServerResponse, body: unknown): void {
  response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
