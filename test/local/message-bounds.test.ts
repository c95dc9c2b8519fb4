import type { Socket } from 'net';
import WebSocket from 'ws';
import { openAndStall } from './raw-socket-client';
import { closed, connect, open } from './websocket-test-client';
import {
  MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION, MAX_UNREAD_BYTES_PER_CONNECTION, WebSocketGateway, WebSocketGatewayOptions,
} from '../../local/websocket-gateway';
import { waitFor } from '../eventually';

const TOO_MANY_REQUESTS = { message: 'Too Many Requests', connectionId: expect.any(String), requestId: expect.any(String) };

/** A gateway of one stage whose functions are `invoke`; stopped by `stopAll`. */
const started: WebSocketGateway[] = [];
async function startGateway(options: Partial<WebSocketGatewayOptions> & Pick<WebSocketGatewayOptions, 'routes' | 'invoke'>): Promise<WebSocketGateway> {
  const gateway = new WebSocketGateway({
    apiId: 'abcde12345',
    stage: 'prod',
    region: 'eu-west-1',
    accountId: '000000000000',
    routeSelectionExpression: '$request.body.action',
    ...options,
  });
  await gateway.start();
  started.push(gateway);
  return gateway;
}
afterEach(async () => {
  for (const gateway of started.splice(0)) await gateway.stop();
});

/** Frames a socket receives, as text. */
function framesOf(socket: WebSocket): string[] {
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(data.toString()));
  return frames;
}

// A client that sends faster than its messages are handled must not make the gateway queue without limit: beyond
// a bound of messages in flight on its connection, a message is answered at once, as API Gateway answers a
// throttled one, and never reaches a function.
describe('the gateway bounds the messages in flight on one connection', () => {
  test('a message beyond the bound gets Too Many Requests with its connection and request ids, and runs nothing', async () => {
    // GIVEN a gateway whose $default invocations are all held until released
    const pending: Array<() => void> = [];
    let invocations = 0;
    const gateway = await startGateway({
      routes: [{ routeKey: '$default', functionName: 'held', twoWay: true }],
      invoke: () => {
        invocations++;
        return new Promise((resolve) => pending.push(() => resolve({ statusCode: 200, body: 'handled' })));
      },
    });
    // AND a client whose messages are all still being handled, up to the bound
    const socket = await open(gateway.url);
    const frames = framesOf(socket);
    for (let i = 0; i < MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION; i++) socket.send(`message ${i}`);
    await waitFor('the bound of messages to be in flight', () => invocations === MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION);

    try {
      // WHEN it sends one more
      socket.send('one too many');

      // THEN that message is answered as API Gateway answers a throttled message, and no function ran for it
      await waitFor('an answer to the message beyond the bound', () => frames.length === 1);
      expect(JSON.parse(frames[0])).toEqual(TOO_MANY_REQUESTS);
      expect(invocations).toBe(MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION);
    } finally {
      // AND once the held messages are handled, the connection is served again
      for (const release of pending.splice(0)) release();
    }
    await waitFor('every held message to be answered',
      () => frames.filter((frame) => frame === 'handled').length === MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION);
    socket.send('after the burst');
    await waitFor('the next message to run', () => invocations === MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION + 1);
    for (const release of pending.splice(0)) release();
    socket.close();
    await closed(socket);
  });
});

describe('the gateway applies the stage throttle', () => {
  /** A gateway whose $connect allows 2 connections and $default 3 messages, with no refill; it records each invocation. */
  async function throttledGateway(invoked: string[]): Promise<WebSocketGateway> {
    return startGateway({
      routes: [{ routeKey: '$connect', functionName: 'connect' }, { routeKey: '$default', functionName: 'echo', twoWay: true }],
      authorizer: { functionName: 'authorizer', identitySource: ['route.request.querystring.token'] },
      invoke: async (functionName, event) => {
        invoked.push(functionName);
        if (functionName === 'authorizer') {
          const methodArn = (event as { methodArn: string }).methodArn;
          return { principalId: 'user', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: methodArn }] } };
        }
        return { statusCode: 200, body: 'echoed' };
      },
      throttle: {
        defaultRoute: { rateLimit: 0, burstLimit: 3 },
        routes: { $connect: { burstLimit: 2 } },
      },
    });
  }

  test('a $connect over its route limit is refused with 429 before the authorizer or any function runs', async () => {
    // GIVEN a stage whose $connect route takes bursts of 2, and 2 connections made
    const invoked: string[] = [];
    const gateway = await throttledGateway(invoked);
    const sockets = [await open(`${gateway.url}?token=a`), await open(`${gateway.url}?token=b`)];
    expect(invoked).toEqual(['authorizer', 'connect', 'authorizer', 'connect']);
    // WHEN a third client connects
    const third = await connect(`${gateway.url}?token=c`);
    // THEN it is refused with 429, and nothing ran for it
    expect(third.status).toBe(429);
    expect(invoked).toHaveLength(4);
    for (const socket of sockets) socket.close();
  });

  test('a message over its route limit is answered Too Many Requests and reaches no function', async () => {
    // GIVEN a stage whose routes take bursts of 3, and a connected client
    const invoked: string[] = [];
    const gateway = await throttledGateway(invoked);
    const socket = await open(`${gateway.url}?token=a`);
    const frames = framesOf(socket);
    // WHEN it sends 5 messages at once
    for (let i = 0; i < 5; i++) socket.send(`message ${i}`);
    // THEN 3 are handled and 2 are answered as throttled
    await waitFor('5 answers', () => frames.length === 5);
    expect(frames.filter((frame) => frame === 'echoed')).toHaveLength(3);
    expect(frames.filter((frame) => frame !== 'echoed').map((frame) => JSON.parse(frame))).toEqual([TOO_MANY_REQUESTS, TOO_MANY_REQUESTS]);
    expect(invoked.filter((name) => name === 'echo')).toHaveLength(3);
    socket.close();
  });
});

describe('the gateway bounds what a client leaves unread', () => {
  test('a connection whose client does not read is closed once its unread output passes the bound', async () => {
    // GIVEN a client that completed the handshake and never reads
    const disconnected: unknown[] = [];
    const gateway = await startGateway({
      routes: [{ routeKey: '$disconnect', functionName: 'disconnect' }],
      invoke: async (_functionName, event) => {
        disconnected.push(event);
        return { statusCode: 200 };
      },
    });
    let stalled: Socket | undefined;
    try {
      stalled = await openAndStall(gateway.url);
      await waitFor('the connection to be registered', () => gateway.connectionIds.length === 1);
      const [connectionId] = gateway.connectionIds;

      // WHEN a backend posts 128 KiB messages to it, far more than the kernel's socket buffers and the bound hold
      const message = Buffer.alloc(128 * 1024, 'x');
      const ceiling = 64 * 1024 * 1024;
      let posted = 0;
      while (posted < ceiling && gateway.post(connectionId, message)) {
        posted += message.length;
        // Lets the socket write what the kernel takes, as a backend's posts arrive over time.
        await new Promise((resolve) => setImmediate(resolve));
      }

      // THEN the gateway stopped taking posts for it well before the ceiling, and the connection is gone with its $disconnect
      expect(posted).toBeLessThan(ceiling);
      await waitFor('the connection to be closed', () => gateway.connectionIds.length === 0 && disconnected.length === 1);
      expect(posted).toBeGreaterThan(MAX_UNREAD_BYTES_PER_CONNECTION);
    } finally {
      stalled?.destroy();
    }
  });
});
