// Shared harness for the e2e specs: serves dist/ on localhost, launches the system
// Chromium through playwright-core (no browser download), and gives each test a fresh
// browser context whose console errors and page errors are collected and asserted
// empty at the end of the test.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startStaticServer } from './server.mjs';
import { ScenarioPage } from '../pages/ScenarioPage.mjs';

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
export async function launchBrowser() {
  // chromium.launch() gives the browser a new temporary --user-data-dir and deletes it
  // on close; TMPDIR keeps it (and Chromium's other scratch files) in one place.
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * Call at the top level of a spec file. Starts one static server and one browser for
 * the file, stops them after it, and returns `withPage(fn, opts)`, which runs
 * fn(scenarioPage, page) in a new context and then asserts that the page logged no
 * console error and threw no page error.
 */
export function useApp() {
  const state = { server: null, browser: null };
  before(async () => {
    state.server = await startStaticServer(DIST_DIR);
    state.browser = await launchBrowser();
  });
  after(async () => {
    await state.browser?.close();
    await state.server?.close();
  });

  async function withPage(fn, { viewport = { width: 1280, height: 800 }, allowErrors = [] } = {}) {
    const context = await state.browser.newContext({ viewport, baseURL: state.server.url });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(30_000);
    const page = await context.newPage();
    const errors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const loc = msg.location();
        errors.push(`console.error: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
      }
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack || err.message || err}`));
    page.on('crash', () => errors.push('page crashed'));
    try {
      try {
        await fn(new ScenarioPage(page, state.server.url), page);
      } catch (err) {
        // Whatever the page logged is often the reason: show it with the failure.
        if (errors.length && err instanceof Error) {
          err.message += `\n--- the page logged ${errors.length} error(s):\n${errors.join('\n')}`;
        }
        throw err;
      }
      const unexpected = errors.filter((e) => !allowErrors.some((re) => re.test(e)));
      assert.deepEqual(unexpected, [], 'the page logged errors');
    } finally {
      await context.close();
    }
  }

  return { withPage, state };
}

export function tmpPath(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachescope-e2e-'));
  return path.join(dir, name);
}
