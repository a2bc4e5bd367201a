// Launches the system's browsers for the tests: Chromium through playwright-core and Firefox
// through puppeteer-core over WebDriver BiDi. Neither package downloads a browser.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";
import { ROOT } from "./server.mjs";

export const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

// Without the background-networking flags Chromium tries to reach Google's services at start,
// which this machine's closed network refuses, and which no test wants anyway.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
];

export const SCREENSHOT_DIR = join(ROOT, "target", "screenshots");

export function screenshotPath(name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}

export async function launchChromium() {
  return chromium.launch({ executablePath: CHROME_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Firefox over WebDriver BiDi. `prefs` adds preferences (for example
 * `{ "ui.prefersReducedMotion": 1 }`: puppeteer's media emulation needs CDP, which Firefox
 * does not speak, so a test that wants reduced motion launches a Firefox that prefers it).
 */
export async function launchFirefox(prefs = {}) {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    // Keep Firefox from phoning home for updates, telemetry or safe-browsing lists.
    extraPrefsFirefox: {
      "app.update.enabled": false,
      "browser.safebrowsing.malware.enabled": false,
      "browser.safebrowsing.phishing.enabled": false,
      "datareporting.healthreport.uploadEnabled": false,
      "toolkit.telemetry.enabled": false,
      "network.captive-portal-service.enabled": false,
      "network.connectivity-service.enabled": false,
      ...prefs,
    },
  });
}
