import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the @connections endpoint received. */
export interface ReceivedPost {
  readonly method: string;
  /** The path, percent-decoded: `/<stage>/@connections/<connectionId>`. */
  readonly path: string;
  readonly connectionId: string;
  readonly body: Buffer;
  readonly headers: IncomingMessage['headers'];
  /** The client's port: requests on one kept-alive socket share it. */
  readonly remotePort: number;
}

export type ManagementApiAnswer = 200 | 403 | 410 | 413 | 429 | 500 | 'hang';

const ERROR_TYPES: Record<number, string> = {
  403: 'ForbiddenException',
  410: 'GoneException',
  413: 'PayloadTooLargeException',
  429: 'LimitExceededException',
  500: 'InternalServerErrorException',
};

/** API Gateway refuses a PostToConnection whose data passes a WebSocket frame's 128 KB with 413. */
export const POST_TO_CONNECTION_MAX_BYTES = 128 * 1024;

/**
 * A local @connections management API endpoint speaking API Gateway's wire format:
 * 200 with an empty body (204 for DELETE), or an error status with a `{"message": ...}` body and the
 * `x-amzn-errortype` header the AWS SDK reads the error's name from.
 */
export class LocalManagementApi {
  static async start(stage = 'prod'): Promise<LocalManagementApi> {
    const api = new LocalManagementApi(stage);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  readonly received: ReceivedPost[] = [];
  /** Answers to give, in order, to requests for a connection without answers of its own; when empty, 200. */
  answers: ManagementApiAnswer[] = [];
  /** Answers to give, in order, to the requests for one connection; when empty, the shared ones. */
  readonly answersByConnection = new Map<string, ManagementApiAnswer[]>();
  /** Milliseconds each answer waits, so that concurrent requests overlap. */
  delayMs = 0;
  /** The most requests that were in flight at once since the last reset. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly server: Server;

  private constructor(readonly stage: string) {
    this.server = createServer((req, res) => {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.once('close', () => (this.inFlight -= 1));
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = decodeURIComponent(req.url ?? '');
        const connectionId = path.slice(path.lastIndexOf('/') + 1);
        this.received.push({
          method: req.method ?? '', path, connectionId, body: Buffer.concat(chunks), headers: req.headers, remotePort: req.socket.remotePort ?? 0,
        });
        const tooLarge = Buffer.concat(chunks).length > POST_TO_CONNECTION_MAX_BYTES;
        const answer = tooLarge ? 413 : this.answersByConnection.get(connectionId)?.shift() ?? this.answers.shift() ?? 200;
        setTimeout(() => this.answer(req, res, answer), this.delayMs);
      });
    });
  }

  private answer(req: IncomingMessage, res: import('node:http').ServerResponse, answer: ManagementApiAnswer): void {
    if (answer === 'hang') {
      return; // never answers; the client's timeout must end it
    }
    if (answer === 200) {
      res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'content-type': 'application/json' }).end();
      return;
    }
    const errorType = ERROR_TYPES[answer];
    res.writeHead(answer, { 'content-type': 'application/json', 'x-amzn-errortype': errorType })
      .end(JSON.stringify({ message: errorType === 'GoneException' ? null : 'Something went wrong' }));
  }

  /** Forgets what was received and the answers left. */
  reset(): void {
    this.received.length = 0;
    this.answers = [];
    this.answersByConnection.clear();
    this.delayMs = 0;
    this.maxInFlight = 0;
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
