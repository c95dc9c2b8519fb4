import type { Socket } from 'net';
import WebSocket from 'ws';
import { maskedFrame, openAndStall } from './raw-socket-client';
import { connect, open } from './websocket-test-client';
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

// A client that sends faster than its messages are handled must not make the gateway queue without limit: at a
// bound of messages in flight on its connection, the gateway stops reading it until one is handled; messages already
// read past the bound wait their turn. Nothing is lost, and no frame is sent that API Gateway would not send.
describe('the gateway bounds the messages in flight on one connection', () => {
  /** A gateway whose $default invocations are all held until released; counts them. */
  async function holdingGateway() {
    const held = { pending: [] as Array<() => void>, invocations: 0, bodies: [] as string[] };
    const gateway = await startGateway({
      routes: [{ routeKey: '$default', functionName: 'held', twoWay: true }],
      invoke: (_functionName, event) => {
        held.invocations++;
        held.bodies.push((event as { body: string }).body);
        return new Promise((resolve) => held.pending.push(() => resolve({ statusCode: 200, body: 'handled' })));
      },
    });
    const releaseAll = () => {
      for (const release of held.pending.splice(0)) release();
    };
    return { gateway, held, releaseAll };
  }

  test('past the bound no message of the connection runs until one is handled; then the next one runs', async () => {
    // GIVEN a client whose messages are all still being handled, up to the bound
    const { gateway, held, releaseAll } = await holdingGateway();
    const socket = await open(gateway.url);
    const frames = framesOf(socket);
    try {
      for (let i = 0; i < MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION; i++) socket.send(`message ${i}`);
      await waitFor('the bound of messages to be in flight', () => held.invocations === MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION);

      // WHEN it sends one more
      socket.send('one more');

      // THEN no function runs for it while the others are held, and nothing answers it
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(held.invocations).toBe(MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION);
      expect(frames).toEqual([]);
      // AND once the held messages are handled, it runs, and every message is answered
      await waitFor('every message to be handled', () => {
        releaseAll();
        return frames.length === MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION + 1;
      });
      expect(new Set(frames)).toEqual(new Set(['handled']));
      expect(held.bodies.at(-1)).toBe('one more');
    } finally {
      releaseAll();
      socket.close();
    }
  });

  test('messages read past the bound wait their turn: every one runs, in order, and none is refused', async () => {
    // GIVEN a client that writes more messages than the bound in one write, so the gateway reads them all at once
    const { gateway, held, releaseAll } = await holdingGateway();
    const socket = await openAndStall(gateway.url);
    try {
      const count = MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION + 4;
      const answers: Buffer[] = [];
      socket.on('data', (data) => answers.push(data));
      socket.resume();

      // WHEN they arrive
      socket.write(Buffer.concat(Array.from({ length: count }, (_, i) => maskedFrame(Buffer.from(`message ${i}`), { opcode: 1, fin: true }))));

      // THEN the bound of them run at once, and no answer is sent for the others meanwhile
      await waitFor('the bound of messages to be in flight', () => held.invocations === MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(held.invocations).toBe(MAX_IN_FLIGHT_MESSAGES_PER_CONNECTION);
      expect(textFramesOf(Buffer.concat(answers))).toEqual([]);
      // AND as they are handled the others run, each answered as handled
      await waitFor('every message to be handled', () => {
        releaseAll();
        return textFramesOf(Buffer.concat(answers)).length === count;
      });
      expect(new Set(textFramesOf(Buffer.concat(answers)))).toEqual(new Set(['handled']));
      expect(held.invocations).toBe(count);
      expect(held.bodies).toEqual(Array.from({ length: count }, (_, i) => `message ${i}`));
    } finally {
      releaseAll();
      socket.destroy();
    }
  });
});

/** The payloads of the unmasked text frames (server to client, each shorter than 126 bytes) in `data`. */
function textFramesOf(data: Buffer): string[] {
  const texts: string[] = [];
  for (let offset = 0; offset + 2 <= data.length;) {
    const length = data[offset + 1] % 128;
    if (length >= 126 || offset + 2 + length > data.length) break;
    if (data[offset] % 16 === 1) texts.push(data.subarray(offset + 2, offset + 2 + length).toString());
    offset += 2 + length;
  }
  return texts;
}

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
