/**
 * Figure 6's handler floor, parent side: a bare HTTP server that answers every @connections POST with 200, and the
 * echo bundle looping in a child process with its CALLBACK_URL pointing at it.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { assetPath, BenchSettings } from '../bench-settings';
import { runTypeScriptChild } from '../child-process';
import { HandlerFloorInput, HandlerFloorResult } from '../figures/handler-floor-child';

export async function handlerFloorMessagesPerSecond(settings: BenchSettings, connections: number): Promise<number> {
  let posts = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.once('end', () => {
      if (request.method === 'POST' && request.url?.includes('/@connections/')) posts++;
      response.writeHead(200, { 'Content-Length': '0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const input: HandlerFloorInput = {
      echoModule: assetPath(settings, 'echo', 'index.js'),
      invocations: settings.sizes.handlerFloorInvocations,
      connections,
    };
    const result = await runTypeScriptChild<HandlerFloorResult>(path.join(__dirname, '..', 'figures', 'handler-floor-child.ts'), {
      input,
      env: {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        ...echoEnvironment('connections', `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`),
      },
      deadlineMs: 300_000,
    });
    if (posts < input.invocations) throw new Error(`the echo handler posted ${posts} of ${input.invocations} messages`);
    return result.messagesPerSecond;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * The echo's table and callback URL under both the names the handler reads today and the prefixed names the runtime
 * API (`WebSocketConnections.fromEnvironment()`) reads once the echo sends through it, so the floor runs either way.
 */
function echoEnvironment(tableName: string, callbackUrl: string): Record<string, string> {
  return { TABLE_NAME: tableName, CALLBACK_URL: callbackUrl, WEBSOCKET_CONNECTIONS_TABLE: tableName, WEBSOCKET_CALLBACK_URL: callbackUrl };
}
