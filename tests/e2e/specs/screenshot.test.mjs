// A screenshot of stale-set-race mid-run for the README (docs/screenshot.png).
// docs/screenshot.png is written only when it is missing or UPDATE_SCREENSHOT=1;
// otherwise the picture goes to a temporary file (its path is logged).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, REPO_ROOT, tmpPath } from '../lib/harness.mjs';

const { withPage } = useApp();
const README_SHOT = path.join(REPO_ROOT, 'docs', 'screenshot.png');

test('screenshot of stale-set-race at step 10', async (t) => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: 'stale-set-race' });
    for (let i = 0; i < 10 && (await sp.canStepForward()); i++) await sp.stepForward();
    assert.ok((await sp.step()) > 0);
    const target =
      process.env.UPDATE_SCREENSHOT === '1' || !fs.existsSync(README_SHOT) ? README_SHOT : tmpPath('screenshot.png');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await sp.screenshot(target);
    const png = fs.readFileSync(target);
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.ok(png.length > 5_000, 'the picture is not empty');
    t.diagnostic(`screenshot: ${target}`);
  }, { viewport: { width: 1280, height: 1000 } });
});
