import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { launchHeadlessChromium } from '../headless-chromium';
import { sendAndSeeEcho, signInOnPage, stateBecomes } from '../web-client-page';
import { synthesizeSessionsExample } from './sessions-app';
import { MEMBERS_GROUP } from '../../examples/sessions/sessions-stack';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';

/**
 * examples/sessions served by the local runtime, with the web client, in Debian's headless Chromium: the demo user
 * (a member, as the runtime makes it) signs in, connects with an access token offered as a subprotocol, and is
 * echoed; no URL the browser requests holds the token. CI installs chromium; a missing browser fails the test.
 */

const USERNAME = 'demo';
const PASSWORD = 'Sessions-passw0rd!';

describe('examples/sessions in headless Chromium against the local runtime', () => {
  const assembly = mkdtempSync(join(tmpdir(), 'sessions-example-assembly-'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'sessions-example-chromium-'));
  const requestedUrls: string[] = [];
  let runtime: LocalRuntime;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    synthesizeSessionsExample(assembly);
    runtime = await startLocalRuntime({
      cloudAssembly: assembly, demoUser: { username: USERNAME, password: PASSWORD }, onHandlerLog: () => undefined,
    });
    browser = await launchHeadlessChromium(userDataDir);
    page = await browser.newPage();
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('websocket', (socket) => requestedUrls.push(socket.url()));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    for (const directory of [assembly, userDataDir]) rmSync(directory, { recursive: true, force: true });
  });

  test('a member signs in from the page, connects with the access token as a subprotocol, is echoed, and the token is in no URL', async () => {
    // GIVEN the example served locally, whose demo user the runtime put in the group the API requires
    expect(runtime.demoUser?.groups).toEqual([MEMBERS_GROUP]);
    await page.goto(runtime.webUrl);
    // WHEN the user signs in (SRP), connects and sends
    await signInOnPage(page, USERNAME, PASSWORD);
    await stateBecomes(page, 'signed-in', 30_000);
    await page.click('#connect');
    // (the first $connect starts three cold functions: on a loaded machine that takes a while)
    await stateBecomes(page, 'open', 60_000);
    // THEN the echo arrives
    await sendAndSeeEcho(page, 'hello, members');
    // AND the page holds an access token (read in the browser: this file is type-checked without the DOM library)
    const stored = await page.evaluate(() => JSON.stringify(Object.values((globalThis as unknown as { sessionStorage: object }).sessionStorage)));
    const { accessToken } = JSON.parse((JSON.parse(stored) as string[])[0]) as { accessToken: string };
    expect(JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString())).toMatchObject({
      'token_use': 'access', 'scope': 'aws.cognito.signin.user.admin', 'cognito:groups': [MEMBERS_GROUP],
    });
    // AND the WebSocket URL is the bare stage URL, and no URL the browser requested holds the token or a part of it
    expect(requestedUrls).toContain(runtime.websocketUrl);
    for (const url of requestedUrls) {
      for (const part of accessToken.split('.')) expect(url).not.toContain(part);
      expect(url).not.toContain('eyJ');
    }
  }, 180_000);
});
