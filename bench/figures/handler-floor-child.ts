/**
 * Figure 6's handler floor: the echo bundle as one warm Lambda container runs it, invoked in a loop with one message
 * event after the other, its management API client posting to a bare HTTP server. No gateway, no worker IPC, no
 * WebSocket: what the runtime would reach if those cost nothing.
 */
import { performance } from 'node:perf_hooks';
import { messageEvent } from '../../local/api-gateway-events';
import { measureOnInput } from '../child-process';

export interface HandlerFloorInput {
  readonly echoModule: string;
  readonly invocations: number;
  /** Connection ids to cycle through, as many connections of the runtime side send at once. */
  readonly connections: number;
}

export interface HandlerFloorResult {
  readonly messagesPerSecond: number;
}

type EchoHandler = (event: unknown) => Promise<{ statusCode: number }>;

async function main(input: HandlerFloorInput): Promise<HandlerFloorResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Lambda's loader requires a CommonJS handler by its path
  const { handler } = require(input.echoModule) as { handler: EchoHandler };
  const stage = { apiId: 'benchapi', stage: 'prod', domainName: '127.0.0.1' };
  const connection = (index: number) => ({
    connectionId: `benchConnection${index}=`, connectedAt: Date.now(), sourceIp: '127.0.0.1', headers: {}, multiValueHeaders: {},
  });
  const invoke = async (index: number) => {
    const result = await handler(messageEvent(stage, connection(index % input.connections), '$default', `${index}`));
    if (result.statusCode !== 200) throw new Error(`the echo handler answered ${result.statusCode}`);
  };
  // Warm the container (SDK client, sockets, JIT) before timing, as the runtime side is timed after connects.
  for (let i = 0; i < Math.min(100, input.invocations); i++) await invoke(i);
  const start = performance.now();
  for (let i = 0; i < input.invocations; i++) await invoke(i);
  return { messagesPerSecond: input.invocations / ((performance.now() - start) / 1000) };
}

measureOnInput<HandlerFloorInput>(main);
