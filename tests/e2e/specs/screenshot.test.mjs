// Screenshots for the README: the one-screen layout at 1280x720 at the moment the
// stale-set-race breaks `cache-matches-db` (docs/screenshot.png), and the phone
// layout at 390x844 (docs/screenshot-phone.png). A picture is written to docs/ only
// when it is missing or UPDATE_SCREENSHOT=1; otherwise to a temporary file (its path
// is logged).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, REPO_ROOT, tmpPath } from '../lib/harness.mjs';
import { ScreenPage } from '../pages/ScreenPage.mjs';

const { withPage } = useApp();

function target(name) {
  const readme = path.join(REPO_ROOT, 'docs', name);
  const out = process.env.UPDATE_SCREENSHOT === '1' || !fs.existsSync(readme) ? readme : tmpPath(name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  return out;
}

function assertPng(file) {
  const png = fs.readFileSync(file);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 5_000, 'the picture is not empty');
}

for (const [name, viewport] of [
  ['screenshot.png', { width: 1280, height: 720 }],
  ['screenshot-phone.png', { width: 390, height: 844 }],
]) {
  test(`${name}: stale-set-race when the cache goes stale, at ${viewport.width}x${viewport.height}`, async (t) => {
    await withPage(async (scenarioPage) => {
      const sp = ScreenPage.from(scenarioPage);
      await sp.goto({ scenario: 'stale-set-race' });
      const step = await sp.jumpToChapter('violated');
      assert.ok(step > 0);
      assert.equal(await sp.invariant('cache-matches-db'), 'violated');
      await sp.page.mouse.move(0, 0);
      const file = target(name);
      await sp.page.screenshot({ path: file, animations: 'disabled' });
      assertPng(file);
      t.diagnostic(`screenshot: ${file}`);
    }, { viewport });
  });
}
