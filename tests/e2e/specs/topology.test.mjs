// The diagram of any topology a scenario file can hold (issue 8 item 2, issue 9 item
// 4), on the release build: a second region with its own service and cache, whose
// service reads the replica, is laid out as a group under the first region; every
// node, the narration and the invariants stay on one screen at 1280x720 and
// 1440x900, and on a phone the page does not scroll sideways. The production
// scenarios (a lagging replica, a transaction's uncommitted change) show that state
// inside their nodes on one screen too. Screenshots go to a temporary folder (logged).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, REPO_ROOT, tmpPath } from '../lib/harness.mjs';
import { ScreenPage } from '../pages/ScreenPage.mjs';
import { ScenarioFilePage } from '../pages/ScenarioFilePage.mjs';

const { withPage } = useApp();

/** replica-lag-refill with a second region: the reader, service-2 (reading the replica) and cache-2. */
function twoRegions() {
  const file = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'src/sim/scenarios/replica-lag-refill.json'), 'utf8'));
  file.settings.topology = [
    { id: 'cache-2', region: 2 },
    { id: 'service-2', cache: 'cache-2', reads: 'replica', region: 2 },
    { id: 'reader', service: 'service-2', region: 2 },
  ];
  file.settings.latency = { ...(file.settings.latency ?? {}), cross_region_ms: 40 };
  return { name: 'two-regions.json', text: JSON.stringify(file, null, 2) };
}

/** The second region's group and the nodes in it: boxes in page pixels. */
async function region(page) {
  return page.evaluate(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const group = document.querySelector('figure.diagram g.region[data-region="2"]');
    const nodes = [...document.querySelectorAll('figure.diagram [data-testid="node"]')].map((n) => ({
      id: n.getAttribute('data-node'),
      region: n.getAttribute('data-region'),
      box: box(n),
    }));
    return { group: group && box(group), label: group?.textContent ?? '', nodes };
  });
}

const within = (a, b) => a.left >= b.left - 0.5 && a.top >= b.top - 0.5 && a.right <= b.right + 0.5 && a.bottom <= b.bottom + 0.5;

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`a second region is drawn as a group, on one screen at ${viewport.width}x${viewport.height}`, async (t) => {
    await withPage(async (scenarioPage, page) => {
      const sp = ScreenPage.from(scenarioPage);
      const fp = ScenarioFilePage.from(scenarioPage);
      await sp.goto({ scenario: 'replica-lag-refill' });
      await fp.openScenarioFile(twoRegions(), 'replica-lag-refill');
      const ids = (await sp.nodes()).map((n) => n.node);
      const total = await sp.steps();
      for (const step of [0, Math.floor(total / 2), total]) {
        await sp.goto({ scenario: 'replica-lag-refill', step, s: new URL(page.url()).searchParams.get('s') });
        const r = await region(page);
        assert.ok(r.group, `step ${step}: region 2 is a group`);
        assert.match(r.label, /region 2 · \+40 ms/);
        const second = r.nodes.filter((n) => n.region === '2').map((n) => n.id).sort();
        assert.deepEqual(second, ['cache-2', 'reader', 'service-2']);
        for (const n of r.nodes) {
          assert.equal(within(n.box, r.group), n.region === '2', `step ${step}: ${n.id} ${n.region === '2' ? 'inside' : 'outside'} the group`);
        }
        if (viewport.width >= 1280) {
          for (const id of ['narration', 'node', 'invariant', 'step-forward', 'step-counter']) {
            assert.deepEqual(await sp.outsideViewport(id), [], `step ${step}: ${id} is on screen`);
          }
        } else {
          assert.ok((await sp.scrollWidth()) <= viewport.width, `scrollWidth ${await sp.scrollWidth()}`);
          const { px, units } = await sp.diagramScale();
          assert.ok(px / units >= 0.85, `the diagram is drawn at ${px}px for ${units} units`);
          assert.deepEqual(await sp.outsideViewport('step-forward'), [], 'Step is in reach');
        }
        if (step === total) {
          // The reader's miss was filled into its region's cache.
          assert.match(await sp.nodeText('cache-2'), /user:1 = v\d/);
          const shot = tmpPath(`two-regions-${viewport.width}x${viewport.height}.png`);
          await page.mouse.move(0, 0);
          await page.screenshot({ path: shot, animations: 'disabled' });
          t.diagnostic(`screenshot: ${shot}`);
        }
      }
      assert.ok(ids.length >= 7, `every node of the topology (${ids.join(', ')})`);
    }, { viewport });
  });
}

for (const [scenario, inside] of [
  ['replica-lag-refill', { node: 'replica', text: /user:1 = v1 \(lag\)/ }],
  ['invalidate-before-commit', { node: 'db', text: /writer: user:1 = v2\s*uncommitted/ }],
  ['rollback-after-cache-write', { node: 'db', text: /writer: user:1 = v2\s*uncommitted/ }],
]) {
  test(`${scenario}: its copies and transactions are drawn in their nodes, on one screen at 1280x720`, async () => {
    await withPage(async (scenarioPage) => {
      const sp = ScreenPage.from(scenarioPage);
      await sp.goto({ scenario });
      let seen = false;
      const total = await sp.steps();
      for (let step = 0; step <= total; step++) {
        if (step > 0) await sp.stepForward();
        if (inside.text.test(await sp.nodeText(inside.node))) {
          seen = true;
          for (const id of ['narration', 'node', 'invariant', 'step-forward', 'step-counter']) {
            assert.deepEqual(await sp.outsideViewport(id), [], `step ${step}: ${id} is on screen`);
          }
          break;
        }
      }
      assert.ok(seen, `${inside.node} shows ${inside.text} at some step`);
      const broken = (await sp.chapters()).find((c) => c.kind === 'violated');
      assert.ok(broken, 'the violation is a chapter');
      await sp.jumpToChapter('violated');
      for (const id of ['narration', 'node', 'invariant']) {
        assert.deepEqual(await sp.outsideViewport(id), [], `at the violation: ${id} is on screen`);
      }
    }, { viewport: { width: 1280, height: 720 } });
  });
}

for (const theme of ['light', 'dark']) {
  test(`axe-core finds no WCAG A/AA violation in ${theme} mode on the production scenarios and a two-region file`, async () => {
    await withPage(async (scenarioPage, page) => {
      const sp = ScreenPage.from(scenarioPage);
      const fp = ScenarioFilePage.from(scenarioPage);
      for (const [scenario, chapter] of [
        ['replica-lag-refill', 'violated'],
        ['invalidate-before-commit', 'race'],
        ['rollback-after-cache-write', 'violated'],
      ]) {
        await sp.goto({ scenario });
        await sp.jumpToChapter(chapter);
        assert.equal(await sp.setTheme(theme), theme);
        const violations = await sp.axeViolations();
        assert.deepEqual(violations, [], `${scenario} (${theme}): ${JSON.stringify(violations, null, 1)}`);
      }
      await sp.goto({ scenario: 'replica-lag-refill' });
      await fp.openScenarioFile(twoRegions(), 'replica-lag-refill');
      await sp.runToEnd();
      assert.ok(await page.locator('figure.diagram g.region').count(), 'the region is drawn');
      assert.equal(await sp.setTheme(theme), theme);
      const violations = await sp.axeViolations();
      assert.deepEqual(violations, [], `two regions (${theme}): ${JSON.stringify(violations, null, 1)}`);
    });
  });
}
