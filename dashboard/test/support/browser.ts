/**
 * Real headless Chromium for browser tests and screenshots: the system's
 * /usr/bin/chromium (no browser download), with the flags a container needs.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TAKTLINE_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
