// The diagram of a topology with more than one primary, relay and consumer (issue 8,
// Deliver 2): docs/scenarios.md's worked example, its fix's topology in its settings
// (db-2 owning user:2, relay-2 reading db-2's outbox onto the bus, consumer-2
// deleting in cache-2). Every node is drawn once, no two boxes overlap, everything is
// on one screen at 1280x720, and a phone does not scroll sideways. Screenshots go to
// a temporary folder (logged).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, REPO_ROOT, tmpPath } from '../lib/harness.mjs';
import { ScreenPage } from '../pages/ScreenPage.mjs';
import { ScenarioFilePage } from '../pages/ScenarioFilePage.mjs';

const { withPage } = useApp();

/** The worked example's JSON block, with its fix's topology as its own. */
function twoShards() {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/scenarios.md'), 'utf8');
  const at = doc.indexOf('"id": "second-shard-unsubscribed-pool"');
  const start = doc.lastIndexOf('```json\n', at) + '```json\n'.length;
  const file = JSON.parse(doc.slice(start, doc.indexOf('```', start)));
  file.id = 'two-shards';
  file.settings.topology = file.fixes[0].changes.topology;
  file.fixes = [];
  return { name: 'two-shards.json', text: JSON.stringify(file, null, 2) };
}

/** Every node's box in page pixels. */
async function boxes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('figure.diagram [data-testid="node"]')].map((n) => {
      const r = (n.querySelector('rect') ?? n).getBoundingClientRect();
      return { id: n.getAttribute('data-node'), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }),
  );
}

const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
]) {
  test(`two primaries, two relays, two consumers are laid out at ${viewport.width}x${viewport.height}`, async (t) => {
    await withPage(async (scenarioPage, page) => {
      const sp = ScreenPage.from(scenarioPage);
      const fp = ScenarioFilePage.from(scenarioPage);
      await sp.goto({ scenario: 'dual-write-crash' });
      await fp.openScenarioFile(twoShards(), 'two-shards');
      const s = new URL(page.url()).searchParams.get('s');
      const total = await sp.steps();
      await sp.goto({ scenario: 'two-shards', step: total, s });
      const b = await boxes(page);
      const ids = b.map((n) => n.id).sort();
      for (const id of ['db', 'db-2', 'relay-2', 'bus', 'consumer', 'consumer-2', 'cache', 'cache-2', 'service-2']) {
        assert.equal(ids.filter((x) => x === id).length, 1, `${id} drawn once in ${ids.join(', ')}`);
      }
      for (let i = 0; i < b.length; i++) {
        for (let j = i + 1; j < b.length; j++) {
          assert.ok(!overlap(b[i], b[j]), `${b[i].id} and ${b[j].id} overlap`);
        }
      }
      if (viewport.width >= 1280) {
        for (const id of ['narration', 'node', 'invariant', 'step-forward']) {
          assert.deepEqual(await sp.outsideViewport(id), [], `${id} is on screen`);
        }
      } else {
        assert.ok((await sp.scrollWidth()) <= viewport.width, `scrollWidth ${await sp.scrollWidth()}`);
      }
      assert.equal(await sp.invariant('cache-matches-db'), 'ok');
      const shot = tmpPath(`two-shards-${viewport.width}x${viewport.height}.png`);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: shot, animations: 'disabled' });
      t.diagnostic(`screenshot: ${shot}`);
    }, { viewport });
  });
}
