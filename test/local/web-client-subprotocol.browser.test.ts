import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { BrowserContext, Page } from 'playwright-core';
import { launchHeadlessChromium } from '../headless-chromium';
import { sendAndSeeEcho, signInOnPage, stateBecomes } from '../web-client-page';
import { synthesizeSessionsApp } from './fixtures/sessions-app';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

/**
 * The example web client against an API that takes access tokens in the subprotocol (with a scope, a required group
 * and a connection limit), and Chromium's own handshake rule: it drops a connection whose answer names none of the
 * protocols it offered, which is why the local gateway answers only what `$connect` returned.
 */

const USERNAME = 'browser-user';
const PASSWORD = 'Browser-passw0rd!';

async function accessTokenOf(runtime: LocalRuntime): Promise<string> {
  const cognito = new CognitoIdentityProviderClient({
    region: runtime.region, endpoint: runtime.cognitoEndpoint, credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
  try {
    const { AuthenticationResult } = await cognito.send(new InitiateAuthCommand({
      ClientId: runtime.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: USERNAME, PASSWORD: PASSWORD },
    }));
    return AuthenticationResult!.AccessToken!;
  } finally {
    cognito.destroy();
  }
}

/** Opens a WebSocket in the page; resolves with the protocol it opened with, or `closed before open <code>`. */
function openInPage(page: Page, url: string, protocols: string[]): Promise<string> {
  return page.evaluate(([target, offered]) => new Promise<string>((resolve) => {
    const socket = new WebSocket(target as string, offered as string[]);
    socket.onopen = () => {
      resolve(`open ${socket.protocol}`);
      socket.close();
    };
    socket.onclose = (event) => resolve(`closed before open ${event.code}`);
  }), [url, protocols] as const);
}

describe('a subprotocol token source in headless Chromium', () => {
  const assemblies = [mkdtempSync(join(tmpdir(), 'subprotocol-assembly-')), mkdtempSync(join(tmpdir(), 'querystring-assembly-'))];
  const userDataDir = mkdtempSync(join(tmpdir(), 'subprotocol-chromium-'));
  let sessions: LocalRuntime;
  let queryString: LocalRuntime;
  let browser: BrowserContext;
  let page: Page;
  const requestedUrls: string[] = [];

  beforeAll(async () => {
    synthesizeSessionsApp(assemblies[0]);
    synthesizeWebSocketTestApp(assemblies[1]);
    // the demo user is created in the group the API requires
    const demoUser = { username: USERNAME, password: PASSWORD };
    sessions = await startLocalRuntime({ cloudAssembly: assemblies[0], demoUser, onHandlerLog: () => undefined });
    queryString = await startLocalRuntime({ cloudAssembly: assemblies[1], demoUser, onHandlerLog: () => undefined });
    browser = await launchHeadlessChromium(userDataDir);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sessions?.stop();
    await queryString?.stop();
    for (const directory of [...assemblies, userDataDir]) rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await browser.newPage();
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('websocket', (socket) => requestedUrls.push(socket.url()));
  });

  afterEach(async () => page.close());

  test('the web client signs in, connects with its access token as a subprotocol, and the token is in no URL', async () => {
    // GIVEN the page, which reads the token source and token use from config.json
    requestedUrls.length = 0;
    await page.goto(sessions.webUrl);
    // WHEN the demo user signs in (SRP), connects and sends
    await signInOnPage(page, USERNAME, PASSWORD);
    await stateBecomes(page, 'signed-in', 30_000);
    await page.click('#connect');
    // (the first $connect starts three cold functions: on a loaded machine that takes a while)
    await stateBecomes(page, 'open', 60_000);
    await sendAndSeeEcho(page, 'hello over a subprotocol');
    // THEN the WebSocket URL is the bare stage URL, and no URL the browser requested holds a token
    // (the page's global, in the browser: this file is type-checked without the DOM library)
    const stored = await page.evaluate(() => JSON.stringify(Object.values((globalThis as unknown as { sessionStorage: object }).sessionStorage)));
    const session = JSON.parse((JSON.parse(stored) as string[])[0]);
    expect(session.accessToken).toMatch(/^eyJ/);
    expect(requestedUrls).toContain(sessions.websocketUrl);
    for (const url of requestedUrls) {
      expect(url).not.toContain('eyJ');
      expect(url).not.toContain(session.accessToken.split('.')[2]);
    }
  }, 150_000);

  test('Chromium connects when $connect answers with the application protocol it offered', async () => {
    await page.goto(sessions.webUrl);
    expect(await openInPage(page, sessions.websocketUrl, ['chat.v1', await accessTokenOf(sessions)])).toBe('open chat.v1');
  }, 60_000);

  test('Chromium drops the connection when $connect answers with no protocol, as against API Gateway', async () => {
    // GIVEN an API whose $connect returns no subprotocol (its token travels in the query string)
    const token = (await queryStringIdToken(queryString));
    await page.goto(queryString.webUrl);
    // WHEN the browser offers a protocol anyway THEN the handshake succeeds on the server but the browser fails it
    expect(await openInPage(page, `${queryString.websocketUrl}?idToken=${token}`, ['chat.v1'])).toBe('closed before open 1006');
    // AND without offering one, the same token connects
    expect(await openInPage(page, `${queryString.websocketUrl}?idToken=${token}`, [])).toBe('open ');
  }, 60_000);
});

async function queryStringIdToken(runtime: LocalRuntime): Promise<string> {
  const cognito = new CognitoIdentityProviderClient({
    region: runtime.region, endpoint: runtime.cognitoEndpoint, credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
  try {
    const { AuthenticationResult } = await cognito.send(new InitiateAuthCommand({
      ClientId: runtime.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: USERNAME, PASSWORD: PASSWORD },
    }));
    return AuthenticationResult!.IdToken!;
  } finally {
    cognito.destroy();
  }
}
