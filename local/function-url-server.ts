/**
 * One Lambda function URL on 127.0.0.1: every request, whatever its path, invokes the function with the payload
 * format 2.0 event; CORS is answered from the URL's `Cors` setting as Lambda answers it (preflights never reach the
 * function when CORS is set); a failed invocation is a 502, as Lambda's.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { readBoundedBody } from './bounded-request-body';
import type { FunctionUrlCors } from './function-url-definitions';
import { functionUrlEvent, functionUrlResponse, FunctionUrlStage } from './function-url-events';
import { listenOnLoopback, LoopbackListener } from './loopback-listener';

export interface FunctionUrlServerOptions {
  readonly functionName: string;
  readonly urlId: string;
  readonly accountId: string;
  readonly cors?: FunctionUrlCors;
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
}

/** Lambda's limit on a function URL request's body. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

export class FunctionUrlServer {
  private readonly server: Server;
  private listener?: LoopbackListener;

  constructor(private readonly options: FunctionUrlServerOptions) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
  }

  async start(): Promise<void> {
    this.listener = await listenOnLoopback(this.server, this.options.port);
  }

  get port(): number {
    return this.listener?.port ?? 0;
  }

  /** `http://127.0.0.1:<port>/`, the local counterpart of `https://<url-id>.lambda-url.<region>.on.aws/`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const cors = this.options.cors;
    const corsHeaders = cors ? corsHeadersFor(cors, request.headers.origin) : {};
    if (cors && request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      response.writeHead(200, { ...corsHeaders, ...preflightHeaders(cors, request.headers.origin) }).end();
      request.resume();
      return;
    }
    const body = await readBoundedBody(request, MAX_REQUEST_BYTES);
    if (body === undefined) {
      response.writeHead(413, { 'content-type': 'application/json', ...corsHeaders }).end(JSON.stringify({ Message: 'Request must be smaller than 6291456 bytes' }));
      return;
    }
    const stage: FunctionUrlStage = { urlId: this.options.urlId, accountId: this.options.accountId, domainName: request.headers.host ?? '127.0.0.1' };
    let result: unknown;
    try {
      result = await this.options.invoke(this.options.functionName, functionUrlEvent(stage, request, body));
    } catch {
      response.writeHead(502, { 'content-type': 'application/json', ...corsHeaders }).end(JSON.stringify({ Message: 'Internal Server Error' }));
      return;
    }
    const answer = functionUrlResponse(result);
    response.writeHead(answer.statusCode, { ...answer.headers, ...corsHeaders, 'content-length': answer.body.length }).end(answer.body);
  }
}

/** The headers every answer to an allowed origin carries; none for an origin the setting does not allow. */
function corsHeadersFor(cors: FunctionUrlCors, origin: string | undefined): Record<string, string> {
  const allowed = cors.AllowOrigins ?? [];
  if (!origin || !(allowed.includes('*') || allowed.includes(origin))) return {};
  return {
    'access-control-allow-origin': allowed.includes('*') && !cors.AllowCredentials ? '*' : origin,
    ...(cors.AllowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(cors.ExposeHeaders?.length ? { 'access-control-expose-headers': cors.ExposeHeaders.join(',') } : {}),
    'vary': 'Origin',
  };
}

function preflightHeaders(cors: FunctionUrlCors, origin: string | undefined): Record<string, string> {
  if (Object.keys(corsHeadersFor(cors, origin)).length === 0) return {};
  return {
    ...(cors.AllowMethods?.length ? { 'access-control-allow-methods': cors.AllowMethods.join(',') } : {}),
    ...(cors.AllowHeaders?.length ? { 'access-control-allow-headers': cors.AllowHeaders.join(',') } : {}),
    ...(cors.MaxAge !== undefined ? { 'access-control-max-age': String(cors.MaxAge) } : {}),
  };
}
