import type { Page } from 'playwright-core';

/** The example web client's page (examples/web), as the browser tests drive it: by its form fields and status. */

/** Fills the sign-in form and submits it (the page signs in with SRP). */
export async function signInOnPage(page: Page, username: string, password: string): Promise<void> {
  await page.fill('#sign-in-form input[name=username]', username);
  await page.fill('#sign-in-form input[name=password]', password);
  await page.click('#sign-in');
}

/** Waits until the page's status is `state` (`signed-in`, `open`, `signed-out`, ...). */
export async function stateBecomes(page: Page, state: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`#status[data-state="${state}"]`, { timeout });
}

/** Sends `text` on the open connection and waits for its echo in the page's log. */
export async function sendAndSeeEcho(page: Page, text: string, timeout = 30_000): Promise<void> {
  await page.fill('#send-form input[name=text]', text);
  await page.click('#send');
  await page.waitForSelector(`#log li:text-is("echo: ${text}")`, { timeout });
}
