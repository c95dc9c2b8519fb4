import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';

/** One Cognito request as it went upstream: the operation and its (possibly rewritten) JSON body. */
export interface ForwardedRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

/** Rewrites a request body on its way upstream; returns it unchanged to let it pass. */
export type Rewrite = (operation: string, body: Record<string, unknown>) => Record<string, unknown>;

export interface TamperingProxy {
  readonly endpoint: string;
  readonly forwarded: ForwardedRequest[];
  /** The rewrite applied from now on. */
  rewrite: Rewrite;
  close(): Promise<void>;
}

/**
 * A man in the middle between a real Cognito client and the local endpoint: it records every request and may
 * rewrite it, so a test can show the endpoint refusing what a broken or hostile client would send, starting
 * from what a real client computed.
 */
export async function startTamperingProxy(upstream: string): Promise<TamperingProxy> {
  const proxy: TamperingProxy = {
    endpoint: '',
    forwarded: [],
    rewrite: (_operation, body) => body,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    void forward(req).then(({ status, headers, text }) => {
      res.writeHead(status, headers).end(text);
    }, () => res.writeHead(502).end());
  });
  async function forward(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.split('.').pop() ?? '';
    const body = proxy.rewrite(operation, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
    proxy.forwarded.push({ operation, body });
    const response = await fetch(upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: JSON.stringify(body),
    });
    const headers: Record<string, string> = { 'content-type': response.headers.get('content-type') ?? 'application/json' };
    const errorType = response.headers.get('x-amzn-errortype');
    if (errorType) headers['x-amzn-errortype'] = errorType;
    return { status: response.status, headers, text: await response.text() };
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  });
}
