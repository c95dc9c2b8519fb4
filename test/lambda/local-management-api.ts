import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the @connections endpoint received. */
export interface ReceivedPost {
  readonly method: string;
  /** The path, percent-decoded: `/<stage>/@connections/<connectionId>`. */
  readonly path: string;
  readonly body: Buffer;
  readonly headers: IncomingMessage['headers'];
}

export type ManagementApiAnswer = 200 | 410 | 429 | 500 | 'hang';

/** API Gateway refuses a PostToConnection whose data passes a WebSocket frame's 128 KB with 413. */
export const POST_TO_CONNECTION_MAX_BYTES = 128 * 1024;

/**
 * A local @connections management API endpoint speaking API Gateway's wire format:
 * 200 with an empty body, or an error status with a `{"message": ...}` body and the
 * `x-amzn-errortype` header the AWS SDK reads the error's name from.
 */
export class LocalManagementApi {
  static async start(stage = 'prod'): Promise<LocalManagementApi> {
    const api = new LocalManagementApi(stage);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  readonly received: ReceivedPost[] = [];
  /** Answers to give, in order; when empty, 200. */
  answers: ManagementApiAnswer[] = [];
  private readonly server: Server;

  private constructor(readonly stage: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({
          method: req.method ?? '',
          path: decodeURIComponent(req.url ?? ''),
          body: Buffer.concat(chunks),
          headers: req.headers,
        });
        const answer = Buffer.concat(chunks).length > POST_TO_CONNECTION_MAX_BYTES ? 413 : this.answers.shift() ?? 200;
        if (answer === 'hang') {
          return; // never answers; the client's timeout must end it
        }
        if (answer === 200) {
          res.writeHead(200, { 'content-type': 'application/json' }).end();
          return;
        }
        const errorType = {
          410: 'GoneException', 413: 'PayloadTooLargeException', 429: 'LimitExceededException', 500: 'InternalServerErrorException',
        }[answer];
        res.writeHead(answer, { 'content-type': 'application/json', 'x-amzn-errortype': errorType })
          .end(JSON.stringify({ message: errorType === 'GoneException' ? null : 'Something went wrong' }));
      });
    });
  }

  /** The callback URL the construct would give the handlers: `http://127.0.0.1:<port>/<stage>`. */
  get callbackUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${this.stage}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
