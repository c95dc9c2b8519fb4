import { execFileSync } from 'node:child_process';
import { BrowserContext, chromium } from 'playwright-core';

/**
 * Debian's Chromium (never a browser playwright downloads), headless, with a fresh profile in `userDataDir`. CI
 * installs it; a missing browser fails the test that needs it rather than skipping it.
 */
export function launchHeadlessChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumExecutable(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

function chromiumExecutable(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed (Debian: apt-get install -y chromium); this test does not skip');
  }
}
