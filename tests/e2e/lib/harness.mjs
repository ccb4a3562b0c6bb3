// Shared harness for the e2e specs: serves dist/ on localhost, launches the system
// Chromium through playwright-core (no browser download), and gives each test a fresh
// browser context whose console errors and page errors are collected and asserted
// empty at the end of the test.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStaticServer } from './server.mjs';
import { ScenarioPage } from '../pages/ScenarioPage.mjs';

export { E2E_DIR, REPO_ROOT, DIST_DIR, CHROMIUM_ARGS, chromiumPath, launchBrowser } from './browser.mjs';
import { DIST_DIR, launchBrowser } from './browser.mjs';

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

  async function withPage(fn, { viewport = { width: 1280, height: 800 }, allowErrors = [], colorScheme = 'light' } = {}) {
    const context = await state.browser.newContext({ viewport, colorScheme, baseURL: state.server.url });
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
