// Debian's Chromium, headless, driven by playwright-core (no browser download).
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.REELGATE_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

// Collects what a page reports as broken: console errors and uncaught exceptions.
export function watchErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

// Saves a screenshot when REELGATE_SCREENSHOT_DIR is set (for people to look at).
export async function snapshot(page, name) {
  const dir = process.env.REELGATE_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

// The two sizes the store is checked at: a laptop and a phone.
export const SIZES = [
  { name: 'desktop', viewport: { width: 1366, height: 768 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];

// A short real clip in two renditions (240p and 480p), as the store tests publish it.
export const TWO_RENDITIONS = [
  { name: '240p', height: 240, bandwidth: 150000 },
  { name: '480p', height: 480, bandwidth: 400000 },
];
