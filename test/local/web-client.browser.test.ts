import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, GoneException } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { BrowserContext, Page } from 'playwright-core';
import { launchHeadlessChromium } from '../headless-chromium';
import { sendAndSeeEcho, signInOnPage, stateBecomes } from '../web-client-page';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { ConnectionAttributes } from '../../src/wire-contract';

/**
 * The example web client (examples/web), served by the local runtime, in Debian's headless Chromium.
 * In CI `.ci/run` installs chromium, so this test runs there and never skips: a missing browser fails it.
 */

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const USERNAME = 'browser-user';
const PASSWORD = 'Browser-passw0rd!';

/**
 * The page's sessionStorage, for callbacks that `page.evaluate` runs in Chromium. This file compiles against Node's
 * types, not the DOM's: declaring only what those callbacks use keeps browser globals out of the Node-side code.
 */
declare const sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };

function idTokenOf(websocketUrl: string): string {
  return new URL(websocketUrl).searchParams.get('idToken') ?? '';
}

function subOf(idToken: string): string {
  return JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8')).sub;
}

describe('examples/web in headless Chromium against the local runtime', () => {
  const assembly = mkdtempSync(join(tmpdir(), 'web-client-assembly-'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'web-client-chromium-'));
  let runtime: LocalRuntime;
  let browser: BrowserContext;
  let page: Page;
  let socketUrls: string[];
  let refreshRequests: number;

  beforeAll(async () => {
    synthesizeWebSocketTestApp(assembly);
    runtime = await startLocalRuntime({
      cloudAssembly: assembly,
      demoUser: { username: USERNAME, password: PASSWORD },
      onHandlerLog: () => undefined,
    });
    browser = await launchHeadlessChromium(userDataDir);
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // A new tab: its sessionStorage (where the page keeps the session) starts empty.
    page = await browser.newPage();
    socketUrls = [];
    refreshRequests = 0;
    page.on('websocket', (socket) => socketUrls.push(socket.url()));
    page.on('request', (request) => {
      if (request.method() === 'POST' && (request.postData() ?? '').includes('"REFRESH_TOKEN_AUTH"')) refreshRequests += 1;
    });
  });

  afterEach(async () => {
    await page.close();
  });

  async function signIn(password = PASSWORD) {
    await page.goto(runtime.webUrl);
    await signInOnPage(page, USERNAME, password);
  }

  test('takes its endpoints from the runtime\'s config.json', async () => {
    await page.goto(runtime.webUrl);
    expect(await page.inputValue('#config-form input[name=websocketUrl]')).toBe(runtime.websocketUrl);
    expect(await page.inputValue('#config-form input[name=userPoolId]')).toBe(runtime.userPoolId);
    expect(await page.inputValue('#config-form input[name=userPoolClientId]')).toBe(runtime.userPoolClientId);
    expect(await page.inputValue('#config-form input[name=cognitoEndpoint]')).toBe(runtime.cognitoEndpoint);
  });

  test('sign in with SRP (the password never leaves the page), connect, send, see the echo', async () => {
    const bodies: string[] = [];
    page.on('request', (request) => bodies.push(request.postData() ?? ''));
    await signIn();
    await stateBecomes(page, 'signed-in');
    const cognitoCalls = bodies.filter((body) => body.includes('"ClientId"')).map((body) => JSON.parse(body));
    expect(cognitoCalls.map((call) => call.AuthFlow ?? call.ChallengeName)).toEqual(['USER_SRP_AUTH', 'PASSWORD_VERIFIER']);
    expect(bodies.join('\n')).not.toContain(PASSWORD);
    expect(await page.textContent('#user')).toBe(USERNAME);
    await page.click('#connect');
    await stateBecomes(page, 'open');
    await sendAndSeeEcho(page, 'hello from chromium');
  });

  test('sign out closes the connection and revokes the refresh token', async () => {
    await signIn();
    await stateBecomes(page, 'signed-in');
    const opened = page.waitForEvent('websocket');
    await page.click('#connect');
    await stateBecomes(page, 'open');
    const socket = await opened;
    const revoke = page.waitForResponse((response) => (response.request().headers()['x-amz-target'] ?? '').endsWith('.RevokeToken'));
    await page.click('#sign-out');
    expect((await revoke).status()).toBe(200);
    if (!socket.isClosed()) await socket.waitForEvent('close');
    await stateBecomes(page, 'signed-out');
    expect(await page.textContent('#user')).toBe('nobody');
    expect(await page.isDisabled('#connect')).toBe(true);
    expect(await page.isDisabled('#send')).toBe(true);
  });

  test('a wrong password shows Cognito\'s message and no connection is offered', async () => {
    await signIn('Wrong-passw0rd!');
    await page.waitForSelector('#error:text("sign-in failed: Incorrect username or password.")');
    expect(await page.getAttribute('#status', 'data-state')).toBe('signed-out');
    expect(await page.isDisabled('#connect')).toBe(true);
  });

  test('a refused token shows a clear message', async () => {
    // GIVEN a session whose ID token was altered after signing (as a stale or forged stored token would be)
    await signIn();
    await stateBecomes(page, 'signed-in');
    await page.evaluate(() => {
      const key = 'cdk-cognito-websocket-api:session';
      const session = JSON.parse(sessionStorage.getItem(key)!);
      const [header, payload, signature] = session.idToken.split('.');
      const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
      sessionStorage.setItem(key, JSON.stringify({ ...session, idToken: `${header}.${payload}.${flipped}` }));
    });
    await page.reload();

    // WHEN the page connects with it
    await page.click('#connect');

    // THEN the server refused the handshake and the page says so plainly
    await stateBecomes(page, 'refused');
    expect(await page.textContent('#error')).toBe('connection refused: token rejected or expired');
    expect(await page.isDisabled('#send')).toBe(true);
  });

  test('after the server drops the connection, the page reconnects with a refreshed token', async () => {
    await signIn();
    await stateBecomes(page, 'signed-in');
    await page.click('#connect');
    await stateBecomes(page, 'open');
    expect(refreshRequests).toBe(0);

    // WHEN the backend closes every connection of this user through the @connections API
    const sub = subOf(idTokenOf(socketUrls[0]));
    const dynamo = new DynamoDBClient({ region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials });
    const management = new ApiGatewayManagementApiClient({ region: runtime.region, endpoint: runtime.callbackUrl, credentials });
    const reconnected = page.waitForEvent('websocket', { timeout: 20_000 });
    try {
      const { Items } = await dynamo.send(new QueryCommand({
        TableName: Object.values(runtime.tableNames)[0],
        IndexName: ConnectionAttributes.USER_ID_INDEX,
        KeyConditionExpression: '#userId = :userId',
        ExpressionAttributeNames: { '#userId': ConnectionAttributes.USER_ID },
        ExpressionAttributeValues: { ':userId': { S: sub } },
      }));
      expect(Items?.length).toBeGreaterThan(0);
      for (const item of Items ?? []) {
        // Earlier tests' tabs may still be disconnecting: those are already gone.
        await management.send(new DeleteConnectionCommand({ ConnectionId: item[ConnectionAttributes.CONNECTION_ID].S }))
          .catch((err) => { if (!(err instanceof GoneException)) throw err; });
      }
    } finally {
      dynamo.destroy();
      management.destroy();
    }

    // THEN the page waits, refreshes its token, reconnects with the new one, and echoes again
    await reconnected;
    await stateBecomes(page, 'open');
    expect(refreshRequests).toBe(1);
    expect(socketUrls).toHaveLength(2);
    expect(subOf(idTokenOf(socketUrls[1]))).toBe(sub);
    expect(idTokenOf(socketUrls[1])).not.toBe(idTokenOf(socketUrls[0]));
    await sendAndSeeEcho(page, 'after reconnect');
  });
});
