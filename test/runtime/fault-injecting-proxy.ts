import { Agent, createServer, IncomingMessage, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request as the proxy saw it, body read whole. */
export interface ProxiedRequest {
  readonly method: string;
  /** Percent-decoded path, e.g. `/prod/@connections/abc=`. */
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** An answer the proxy gives instead of forwarding: a status, headers, a body, in the upstream service's wire format. */
export interface InjectedFault {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** The @connections API's answer with this status, as API Gateway writes it (the SDK reads the name from the header). */
export function managementApiFault(status: 429 | 500 | 502 | 503): InjectedFault {
  const type = { 429: 'LimitExceededException', 500: 'InternalServerErrorException', 502: 'BadGatewayException', 503: 'ServiceUnavailableException' }[status];
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ message: 'injected' }) };
}

/** DynamoDB's answer to a request that failed on its side, in its JSON 1.0 wire format. */
export const DYNAMODB_INTERNAL_ERROR: InjectedFault = {
  status: 500,
  headers: { 'content-type': 'application/x-amz-json-1.0' },
  body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected' }),
};

/**
 * A real HTTP proxy on 127.0.0.1 in front of a real local service (the local runtime's @connections API, dynalite):
 * each request is shown to `decide`, which either answers it with a fault or lets it through unchanged. Faults are
 * injected at the network boundary, in the service's own wire format, so the client under test runs unmodified.
 */
export class FaultInjectingProxy {
  static async start(upstream: string, decide: (request: ProxiedRequest) => InjectedFault | undefined): Promise<FaultInjectingProxy> {
    const proxy = new FaultInjectingProxy(new URL(upstream), decide);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Every request seen, faulted or forwarded. */
  readonly seen: ProxiedRequest[] = [];
  private readonly server: Server;
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(private readonly upstream: URL, decide: (request: ProxiedRequest) => InjectedFault | undefined) {
    this.server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const seen: ProxiedRequest = {
          method: incoming.method ?? 'GET', path: decodeURIComponent(incoming.url ?? '/'), headers: incoming.headers, body: Buffer.concat(chunks),
        };
        this.seen.push(seen);
        const fault = decide(seen);
        if (fault) {
          outgoing.writeHead(fault.status, fault.headers).end(fault.body);
          return;
        }
        const forwarded = request({
          host: this.upstream.hostname,
          port: this.upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          agent: this.agent,
        }, (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
        forwarded.on('error', () => outgoing.destroy());
        forwarded.end(seen.body);
      });
    });
  }

  /** `http://127.0.0.1:<port>` followed by the upstream's path (a stage), so it stands where the upstream URL stood. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.upstream.pathname.replace(/\/$/, '')}`;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
