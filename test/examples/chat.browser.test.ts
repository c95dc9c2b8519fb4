import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BrowserContext, Page } from 'playwright-core';
import { launchHeadlessChromium } from '../headless-chromium';
import { signInOnPage, stateBecomes } from '../web-client-page';
import { synthesizeChatApp } from './chat-app';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { WebSocketConnections } from '../../runtime';
import { signUpAndSignIn, TEST_USER_PASSWORD } from '../local/cognito-test-user';

/**
 * examples/chat and its page (examples/web/chat.html), served by the local runtime, in Debian's headless Chromium:
 * two users, one of them on two pages. CI installs chromium; a missing browser fails the test, it never skips.
 */

describe('the chat page in headless Chromium against the local runtime', () => {
  const assembly = mkdtempSync(join(tmpdir(), 'chat-browser-assembly-'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'chat-browser-chromium-'));
  const userIds = new Map<string, string>();
  let runtime: LocalRuntime;
  let browser: BrowserContext;

  beforeAll(async () => {
    synthesizeChatApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
    for (const username of ['alice', 'bob']) {
      const idToken = await signUpAndSignIn(runtime, username);
      userIds.set(username, JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()).sub);
    }
    browser = await launchHeadlessChromium(userDataDir);
  }, 120_000);

  const pages: Page[] = [];
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
  });

  /** A new tab on the chat page, signed in as `username` and connected. */
  async function pageOf(username: string): Promise<Page> {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(new URL('chat.html', runtime.webUrl).href);
    await signInOnPage(page, username, TEST_USER_PASSWORD);
    await stateBecomes(page, 'open', 20_000);
    return page;
  }

  async function send(page: Page, form: 'send' | 'notify', to: string, text: string): Promise<void> {
    await page.fill(`#${form}-form input[name=to]`, to);
    await page.fill(`#${form}-form input[name=text]`, text);
    await page.click(`#${form}`);
  }

  const lines = (page: Page, text: string) => page.locator('#messages li', { hasText: text }).count();

  test('a message reaches both pages of the recipient, and the sender\'s page, exactly once', async () => {
    // GIVEN Alice on two pages and Bob on one, each signed in and connected
    const [alice1, alice2, bob] = [await pageOf('alice'), await pageOf('alice'), await pageOf('bob')];
    // WHEN Bob writes to Alice, then writes again
    await send(bob, 'send', 'alice', 'hello from Chromium');
    for (const page of [alice1, alice2, bob]) await page.waitForSelector('#messages li:text-is("bob → alice: hello from Chromium")');
    await send(bob, 'send', 'alice', 'second message');
    for (const page of [alice1, alice2, bob]) await page.waitForSelector('#messages li:text-is("bob → alice: second message")');
    // THEN every page shows the first message once: nothing was delivered twice by the time the next one arrived
    for (const page of [alice1, alice2, bob]) expect(await lines(page, 'hello from Chromium')).toBe(1);
    // AND the @connections API received one POST per message for each of Alice's two connections
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const dynamoDb = new DynamoDBClient({ region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials });
    const [tableName] = Object.values(runtime.tableNames);
    const aliceConnections = await new WebSocketConnections({ tableName, callbackUrl: runtime.callbackUrl, dynamoDb })
      .listConnections(userIds.get('alice')!)
      .finally(() => dynamoDb.destroy());
    expect(aliceConnections.map(({ connectionId }) => runtime.managementApiRequests.countsOf(connectionId).POST)).toEqual([2, 2]);
  });

  test('the page notifies another user through the notifier\'s function URL', async () => {
    const [alice, bob] = [await pageOf('alice'), await pageOf('bob')];
    await send(alice, 'notify', 'bob', 'your build finished');
    await bob.waitForSelector('#messages li[data-type="notification"]:text-is("notification from alice: your build finished")');
    await alice.waitForSelector('#notify-result:text-is("reached 1 device(s) of bob")');
  });
});
