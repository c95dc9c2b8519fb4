import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { notifyUrlOf, synthesizeChatApp } from './chat-app';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { signUpAndSignIn } from '../local/cognito-test-user';
import { closeAll, open } from '../local/websocket-test-client';

/**
 * examples/chat served by the local runtime, driven by real WebSocket clients and HTTP: the sendmessage route and
 * the notifier, with their bundles, the construct's handlers, the local Cognito (AdminGetUser) and DynamoDB.
 */

interface Device {
  readonly socket: WebSocket;
  /** Every frame received, parsed. */
  readonly frames: Array<Record<string, unknown>>;
}

describe('examples/chat on the local runtime', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'chat-local-'));
  const devices: Device[] = [];
  const tokens = new Map<string, string>();
  let runtime: LocalRuntime;

  beforeAll(async () => {
    synthesizeChatApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
    // A pair of users per test: a late delivery of one test can never reach another's devices.
    for (const username of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace']) {
      tokens.set(username, await signUpAndSignIn(runtime, username));
    }
  }, 120_000);

  afterEach(async () => {
    await closeAll(devices.splice(0).map(({ socket }) => socket));
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  async function device(username: string): Promise<Device> {
    const socket = await open(`${runtime.websocketUrl}?idToken=${tokens.get(username)}`);
    const connected: Device = { socket, frames: [] };
    socket.on('message', (data) => connected.frames.push(JSON.parse(data.toString())));
    devices.push(connected);
    return connected;
  }

  /**
   * Waits until the device has received `count` frames, then a moment more for any duplicate; resolves with them.
   * Messages of one connection run as separate invocations, in parallel, as in API Gateway: their order is not kept.
   */
  async function received(on: Device, count: number) {
    for (const deadline = Date.now() + 20_000; on.frames.length < count;) {
      if (Date.now() > deadline) throw new Error(`${on.frames.length} of ${count} frames: ${JSON.stringify(on.frames)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    return [...on.frames].sort((a, b) => String(a.type).localeCompare(String(b.type)) || String(a.text).localeCompare(String(b.text)));
  }

  const send = (from: Device, to: string, text: string) => from.socket.send(JSON.stringify({ action: 'sendmessage', to, text }));

  test('a message reaches every device of the recipient and of the sender, each once', async () => {
    // GIVEN Alice on two devices and Bob on one
    const [alice1, alice2, bob] = [await device('alice'), await device('alice'), await device('bob')];
    // WHEN Bob writes to Alice, then once more
    send(bob, 'alice', 'hello Alice');
    send(bob, 'alice', 'are you there?');
    // THEN each of the three devices shows both messages, once each
    for (const on of [alice1, alice2, bob]) {
      expect(await received(on, 2)).toEqual([
        { type: 'message', from: 'bob', to: 'alice', text: 'are you there?', sentAt: expect.any(String) },
        { type: 'message', from: 'bob', to: 'alice', text: 'hello Alice', sentAt: expect.any(String) },
      ]);
    }
  });

  test('to a user who is not connected, the sender\'s devices get the message and the sending one hears it was not delivered', async () => {
    const [carol1, carol2] = [await device('carol'), await device('carol')];
    send(carol1, 'dave', 'call me');
    expect(await received(carol1, 2)).toEqual([
      { type: 'message', from: 'carol', to: 'dave', text: 'call me', sentAt: expect.any(String) },
      { type: 'undelivered', to: 'dave', reason: 'offline' },
    ]);
    expect(await received(carol2, 1)).toEqual([expect.objectContaining({ type: 'message', text: 'call me' })]);
  });

  test('to a name no user has, or a request that is not one, the sender hears why', async () => {
    const erin = await device('erin');
    send(erin, 'mallory', 'hi');
    erin.socket.send(JSON.stringify({ action: 'sendmessage', to: 'alice' }));
    expect(await received(erin, 2)).toEqual([
      { type: 'error', message: '"text" must be 1 to 4000 characters' },
      { type: 'undelivered', to: 'mallory', reason: 'no-such-user' },
    ]);
  });

  test('the notifier reaches every device of a user over HTTP, with a valid ID token only', async () => {
    const [grace1, grace2] = [await device('grace'), await device('grace')];
    const notify = (token: string | undefined, body: object) => fetch(notifyUrlOf(runtime.outputs), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const answer = await notify(tokens.get('frank'), { to: 'grace', text: 'build finished' });
    expect(await answer.json()).toEqual({ delivered: 2 });
    for (const on of [grace1, grace2]) {
      expect(await received(on, 1)).toEqual([{ type: 'notification', from: 'frank', text: 'build finished', sentAt: expect.any(String) }]);
    }
    expect((await notify(undefined, { to: 'grace', text: 'x' })).status).toBe(401);
    expect((await notify(`${tokens.get('frank')!.slice(0, -4)}AAAA`, { to: 'grace', text: 'x' })).status).toBe(401);
    expect((await notify(tokens.get('frank'), { to: 'mallory', text: 'x' })).status).toBe(404);
    expect(grace1.frames).toHaveLength(1);
  });
});
