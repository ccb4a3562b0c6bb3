// Launching the system Chromium through playwright-core (no browser download), and the
// repo's paths. Used by the e2e harness and by bench.mjs.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(here, '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const DIST_DIR = path.resolve(process.env.DIST_DIR ?? path.join(REPO_ROOT, 'dist'));

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (fs.existsSync(p)) return p;
  }
  throw new Error('no Chromium found: set CHROMIUM=/path/to/chromium');
}

/** Launch headless Chromium with a fresh temporary profile. */
export async function launchBrowser(extraArgs = []) {
  // chromium.launch() gives the browser a new temporary --user-data-dir and deletes it
  // on close; TMPDIR keeps it (and Chromium's other scratch files) in one place.
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    timeout: 60_000,
  });
}

