// The CDN edge (issue 8, src/sim/cdn.rs) on the release build: a scenario file whose
// reader goes through `cdn` opens; the edge is drawn with the response it stored,
// marked stale once the write (which bypasses the edge) has committed v2, and
// cache-matches-db names the edge's copy. No console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, REPO_ROOT } from '../lib/harness.mjs';
import { ScenarioFilePage } from '../pages/ScenarioFilePage.mjs';

const { withPage } = useApp();

/** cache-aside-write with the reader through the CDN edge in front of `service`. */
function throughCdn() {
  const file = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'src/sim/scenarios/cache-aside-write.json'), 'utf8'));
  file.id = 'through-a-cdn';
  file.settings.topology = [
    { id: 'cdn', service: 'service' },
    { id: 'reader', service: 'cdn' },
  ];
  return { name: 'through-a-cdn.json', text: JSON.stringify(file, null, 2) };
}

test('the CDN edge is drawn with its stored response, and its stale copy breaks cache-matches-db', async () => {
  await withPage(async (sp, page) => {
    const fp = ScenarioFilePage.from(sp);
    await sp.goto({ scenario: 'cache-aside-write' });
    await fp.openScenarioFile(throughCdn(), 'through-a-cdn');
    const ids = (await sp.nodes()).map((n) => n.node);
    assert.ok(ids.includes('cdn'), `the edge is a node: ${ids}`);
    await sp.stepToEnd();
    const edge = page.locator('figure.diagram [data-testid="node"][data-node="cdn"]');
    assert.match((await edge.textContent()).replace(/\s+/g, ' '), /user:1 = v1 ≠ db/);
    assert.equal((await sp.invariants())['cache-matches-db'], 'violated');
    await assert.doesNotReject(page.screenshot({ path: path.join(process.env.SHOTS_DIR ?? '/tmp', 'cdn-edge.png') }));
  }, { viewport: { width: 1440, height: 900 } });
});
