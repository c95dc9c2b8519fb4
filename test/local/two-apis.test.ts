import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import WebSocket from 'ws';
import { signUpAndSignIn } from './cognito-test-user';
import { synthesizeTwoApiTestApp } from './fixtures/websocket-test-app';
import { nextMessage, open } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

describe('startLocalRuntime on an app with two WebSocket APIs', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-two-apis-test-'));
  let runtime: LocalRuntime;

  beforeAll(async () => {
    synthesizeTwoApiTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  /** The Chat API and the Notifications API, told apart by their logical ids. */
  const apisOfTheApp = () => ['Chat', 'Notifications'].map((prefix) => {
    const api = runtime.apis.find(({ logicalId }) => logicalId.startsWith(`${prefix}Api`));
    if (!api) throw new Error(`the runtime serves no ${prefix} API: ${runtime.apis.map(({ logicalId }) => logicalId).join(', ')}`);
    return api;
  });

  /** Sends a message and resolves with the JSON answer. */
  async function ask(socket: WebSocket, message: string): Promise<unknown> {
    const reply = nextMessage(socket);
    socket.send(message);
    return JSON.parse(await reply);
  }

  test('serves both, each at its own URL and stage with its own routes', () => {
    const [chat, notifications] = apisOfTheApp();
    expect(runtime.apis).toHaveLength(2);
    expect(chat.websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/prod$/);
    expect(notifications.websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/live$/);
    expect(new URL(chat.websocketUrl).port).not.toBe(new URL(notifications.websocketUrl).port);
    expect(chat.routeKeys.sort()).toEqual(['$connect', '$default', '$disconnect', 'whoami']);
    expect(notifications.routeKeys.sort()).toEqual(['$connect', '$default', '$disconnect', 'subscribe']);
  });

  test('a signed-in user reaches both; each API answers its own route and echoes the other\'s', async () => {
    // GIVEN one user of the shared pool, connected to both APIs
    const idToken = await signUpAndSignIn(runtime, 'frank');
    const [chatApi, notificationsApi] = apisOfTheApp();
    const chat = await open(`${chatApi.websocketUrl}?idToken=${idToken}`);
    const notifications = await open(`${notificationsApi.websocketUrl}?idToken=${idToken}`);
    try {
      // WHEN each is asked for both routes, THEN each runs its own and echoes the one it does not have
      expect(await ask(chat, JSON.stringify({ action: 'whoami' }))).toEqual({ answer: 'chat', route: 'whoami' });
      expect(await ask(chat, JSON.stringify({ action: 'subscribe' }))).toEqual({ message: JSON.stringify({ action: 'subscribe' }) });
      expect(await ask(notifications, JSON.stringify({ action: 'subscribe' }))).toEqual({ answer: 'notifications', route: 'subscribe' });
      expect(await ask(notifications, JSON.stringify({ action: 'whoami' }))).toEqual({ message: JSON.stringify({ action: 'whoami' }) });
    } finally {
      chat.close();
      notifications.close();
    }
  });
});
