import * as path from 'path';
import WebSocket from 'ws';
import { open } from './websocket-test-client';
import { FunctionRunner } from '../../local/function-runner';
import { MAX_DISCONNECTS_IN_FLIGHT, WebSocketGateway } from '../../local/websocket-gateway';

const codeDirectory = path.join(__dirname, 'fixtures', 'handlers');
const CONNECTIONS = 300;

describe('a gateway closing many connections at once', () => {
  test('runs every $disconnect, at most MAX_DISCONNECTS_IN_FLIGHT at a time, even past the size of the runner\'s queue', async () => {
    // GIVEN a runner whose queue holds fewer invocations than the gateway has connections
    const disconnected: string[] = [];
    const runner = new FunctionRunner({
      region: 'eu-west-1',
      accountId: '000000000000',
      maxWorkersPerFunction: 2,
      maxQueuedInvocationsPerFunction: 100,
      onLog: (_name, line) => disconnected.push((JSON.parse(line) as { disconnected: string }).disconnected),
    });
    runner.register({ name: 'disconnect', codeDirectory, handler: 'index.disconnect', timeoutSeconds: 30, memorySizeMb: 128, environment: {} });
    let inFlight = 0;
    let mostInFlight = 0;
    const failed: unknown[] = [];
    const gateway = new WebSocketGateway({
      apiId: 'abcde12345',
      stage: 'prod',
      region: 'eu-west-1',
      accountId: '000000000000',
      routeSelectionExpression: '$request.body.action',
      routes: [{ routeKey: '$disconnect', functionName: 'disconnect' }],
      invoke: async (name, event) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          return await runner.invoke(name, event);
        } finally {
          inFlight--;
        }
      },
      log: (entry) => (entry.outcome === 'failed' ? failed.push(entry) : undefined),
      stopWaitSeconds: 60,
    });
    const sockets: WebSocket[] = [];
    try {
      await gateway.start();
      for (let i = 0; i < CONNECTIONS; i++) sockets.push(await open(gateway.url));
      const connectionIds = gateway.connectionIds;
      expect(connectionIds).toHaveLength(CONNECTIONS);
      // WHEN the gateway stops with every connection open
      await gateway.stop();
      // THEN each connection's $disconnect ran once and none failed
      expect(failed).toEqual([]);
      expect(disconnected.sort()).toEqual([...connectionIds].sort());
      // AND the gateway held the rest back while MAX_DISCONNECTS_IN_FLIGHT ran
      expect(mostInFlight).toBe(MAX_DISCONNECTS_IN_FLIGHT);
    } finally {
      for (const socket of sockets) socket.terminate();
      await gateway.stop();
      await runner.close();
    }
  }, 120_000);
});
