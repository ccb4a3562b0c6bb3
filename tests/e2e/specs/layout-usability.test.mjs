// Where the words land on the screens the review used (review session 12): on a phone
// the narration is not left under the sticky step bar after a step, and a node's last
// state line is inside its box (V11); on a 1280x720 projector a fault is fired beside
// the diagram and the narration, which stay on screen (V16); present mode draws a wide
// topology across the window at a size a room can read (V21).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { ScreenPage } from '../pages/ScreenPage.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';
import { TeachPage } from '../pages/TeachPage.mjs';

const { withPage } = useApp();

/** Two animation frames: what the page does after a click in a frame has been done. */
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** The box around an element of test id `id` (its first), in the viewport. */
const box = (page, id, parent = false) =>
  page.locator(`[data-testid="${id}"]`).first().evaluate((e, parent) => {
    const r = (parent ? e.parentElement : e).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom };
  }, parent);

test('at 390x844 a step leaves its narration above the sticky step bar, and each node holds its lines (V11)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race', step: 13 });
    await sp.stepForward();
    await frames(page);
    const said = await box(page, 'narration', true);
    const bar = await box(page, 'step-forward');
    assert.ok(said.top >= 0 && said.bottom <= bar.top, `the narration ${JSON.stringify(said)} is above the bar ${JSON.stringify(bar)}`);
    assert.match(await sp.narration(), /stores user:1 = v1/);
    assert.deepEqual(await sp.outsideViewport('step-forward'), []);
    // Every state line ends inside its node's box, above its lower border.
    const cut = await page.locator('[data-testid="node"]').evaluateAll((nodes) =>
      nodes.flatMap((n) => {
        const rect = n.querySelector('rect').getBBox();
        return [...n.querySelectorAll('text')]
          .filter((t) => t.getBBox().y + t.getBBox().height > rect.y + rect.height - 2)
          .map((t) => `${n.getAttribute('data-node')}: ${t.textContent}`);
      }),
    );
    assert.deepEqual(cut, [], 'no line sits on or past its box\'s lower border');
  }, { viewport: { width: 390, height: 844 } });
});

test('at 390x844 a long ending is not cut inside the narration box, in dark mode too (review 19, C4)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    await sp.goto({ scenario: 'dual-write-crash' });
    await sp.stepToEnd();
    assert.match(await sp.narration(), /Try the outbox\.$/);
    // The paragraph shows all it holds: no scroll bar inside the box.
    const hidden = await page.locator('[data-testid="narration"]').first().evaluate((e) => e.scrollHeight - e.clientHeight);
    assert.ok(hidden <= 1, `the ending hides ${hidden} px inside its box`);
  }, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
});

test('at 1280x720 a fault is fired beside the diagram, and the diagram and the narration stay on screen (V16)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const dp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race', step: 8 });
    const fault = await dp.faultButton('drop', 'm8').boundingBox();
    const said = await box(page, 'narration');
    assert.ok(fault.x > 640, `the faults sit in the narration's column: ${JSON.stringify(fault)}`);
    assert.ok(fault.y > said.bottom, 'under the narration');
    await dp.injectFault('drop', 'm8');
    await frames(page);
    assert.match(await sp.narration(), /loses m8/);
    assert.deepEqual(await sp.outsideViewport('narration'), [], 'what the fault did is on screen');
    const nodes = await page.locator('[data-testid="node"]').evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).filter((r) => r.bottom > 0 && r.top < innerHeight).length);
    assert.equal(nodes, (await sp.nodes()).length, 'every node of the diagram is (at least partly) on screen');
  }, { viewport: { width: 1280, height: 720 } });
});

test('at 1280x720 after a fault the step bar stays on screen, the narration clear of it, and → ← step from the fault list (W11)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const dp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race', step: 8 });
    // The fault sits below the fold: the page scrolls to it (as a teacher does).
    assert.equal(await dp.injectFault('drop', 'm8'), 9);
    await frames(page);
    assert.ok(await page.evaluate(() => scrollY) > 100, 'the page was scrolled to the fault');
    for (const id of ['step-forward', 'step-back', 'step-counter', 'narration']) {
      assert.deepEqual(await sp.outsideViewport(id), [], `${id} is on screen`);
    }
    const bar = await box(page, 'step-forward', true);
    const said = await box(page, 'narration');
    assert.ok(said.top >= bar.bottom, `the narration ${JSON.stringify(said)} is not under the bar ${JSON.stringify(bar)}`);
    // The network's act, tagged as the network's; no node lit as acting (W12, V5).
    assert.match(await sp.narration(), /^\[network\] The network loses m8/);
    assert.deepEqual(await sp.actingNodes(), []);
    // The fault list kept the focus (on a neighbouring fault); the arrows step from it.
    assert.equal((await sp.focused()).testid, 'fault');
    await page.keyboard.press('ArrowRight');
    assert.equal(await sp.step(), 10, '→ steps from a fault button');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await sp.step(), 8, '← steps back from it');
    assert.equal((await sp.focused()).testid, 'fault', 'and the focus stays in the list');
    // A delivery is its receiver's act: step 8, the commit, is the database's.
    assert.match(await sp.narration(), /^\[db\] /);
    assert.deepEqual(await sp.actingNodes(), ['db']);
  }, { viewport: { width: 1280, height: 720 } });
});

test('present mode at 1280x720 draws a wide topology across the window, its state lines large (V21)', async () => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    await sp.goto({ scenario: 'cdn-purge-race', step: 12 });
    await tp.openPresent();
    await frames(page);
    const view = tp.presentView();
    const lines = await view.locator('[data-testid="node"] text.state').evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect().height));
    assert.ok(lines.length > 0);
    assert.ok(Math.min(...lines) >= 14, `state lines are at least 14 px high: ${lines.join(', ')}`);
    for (const node of await view.locator('[data-testid="node"]').all()) {
      const b = await node.boundingBox();
      assert.ok(b && b.y >= 0 && b.y + b.height <= 720 && b.x >= 0 && b.x + b.width <= 1280, 'each node is on screen');
    }
    const said = await view.getByTestId('narration').boundingBox();
    assert.ok(said.y + said.height <= 720, 'the narration is on screen');
    // The title is whole: it wraps rather than being cut.
    const title = await view.locator('h2').evaluate((e) => e.scrollWidth <= e.clientWidth);
    assert.equal(title, true, 'the title is not cut');
  }, { viewport: { width: 1280, height: 720 } });
});

test('present mode at a 4:3 projector\'s 1024x768 draws the topology across the window; a 16:9 window puts the narration beside it again (review 30, L)', async () => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    const stateLines = () => tp.presentView().locator('[data-testid="node"] text.state').evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect().height));
    const side = async () => {
      const drawing = await tp.presentView().locator('.present-stage').boundingBox();
      const said = await tp.presentView().getByTestId('narration').boundingBox();
      return said.x >= drawing.x + drawing.width ? 'beside' : said.y >= drawing.y + drawing.height ? 'under' : 'overlapping';
    };
    for (const scenario of ['stale-set-race', 'stampede', 'cross-region-read-your-writes']) {
      await sp.goto({ scenario, step: 6 });
      await tp.openPresent();
      await frames(page);
      const lines = await stateLines();
      assert.ok(lines.length > 0);
      // Beside the narration they were 11 px high (a state line's box; its font about 9 px).
      assert.ok(Math.min(...lines) >= 14, `${scenario}: state lines are at least 14 px high: ${lines.join(', ')}`);
      assert.equal(await side(), 'under', `${scenario}: the narration is under the drawing`);
      for (const node of await tp.presentView().locator('[data-testid="node"]').all()) {
        const b = await node.boundingBox();
        assert.ok(b && b.y >= 0 && b.y + b.height <= 768 && b.x >= 0 && b.x + b.width <= 1024, `${scenario}: each node is on screen`);
      }
      const said = await tp.presentView().getByTestId('narration').boundingBox();
      assert.ok(said.y + said.height <= 768, `${scenario}: the narration is on screen`);
      await page.keyboard.press('Escape');
    }
    // The window's shape changes while presenting (a projector unplugged): chosen again.
    await sp.goto({ scenario: 'stale-set-race', step: 6 });
    await tp.openPresent();
    await frames(page);
    assert.equal(await side(), 'under');
    await page.setViewportSize({ width: 1280, height: 720 });
    await frames(page);
    assert.equal(await side(), 'beside', 'at 16:9 the stale-set race is drawn beside the narration');
  }, { viewport: { width: 1024, height: 768 } });
});

test('present mode\'s sequence diagram keeps the current step in its box as it steps (review 31)', async () => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    await sp.goto({ scenario: 'hybrid', step: 30 });
    await tp.openPresent();
    await page.keyboard.press('s');
    const view = tp.presentView();
    await view.locator('[data-testid=sequence]').waitFor({ state: 'visible' });
    for (const step of [30, 31, 32]) {
      if (step > 30) await page.keyboard.press('ArrowRight');
      await frames(page);
      await frames(page);
      const [row, box] = await Promise.all([
        view.locator('[data-testid=seq-step][data-current=true]').boundingBox(),
        view.locator('[data-testid=sequence]').boundingBox(),
      ]);
      // Drawn 1.5 times its units, the row was scrolled from as if it were not: at
      // step 30 it lay at y 731-770 below a box ending at 588.
      assert.ok(row.y >= box.y && row.y + row.height <= box.y + box.height,
        `step ${step}: the current row ${JSON.stringify(row)} is inside the box ${JSON.stringify(box)}`);
    }
  }, { viewport: { width: 1280, height: 720 } });
});

test('a key that steps brings the narration on screen as a click does, at 1024x768 (review 31)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'stale-set-race', step: 8 });
    await page.keyboard.press('ArrowRight');
    await frames(page);
    assert.equal(await sp.step(), 9);
    const said = await box(page, 'narration', true);
    assert.ok(said.top >= 0 && said.bottom <= 768, `the narration ${JSON.stringify(said)} is on screen`);
  }, { viewport: { width: 1024, height: 768 } });
});

test('on a phone the run\'s last step leaves its violated invariant above the sticky step bar (review 31)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'stale-set-race', step: 15 });
    await sp.stepForward();
    await frames(page);
    const said = await box(page, 'narration', true);
    const bar = await box(page, 'step-forward');
    const bad = await page.locator('[data-testid=invariant][data-status=violated]').first().evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    });
    assert.ok(said.top >= 0, 'the narration\'s top is on screen');
    assert.ok(bad.bottom <= bar.top, `the violated invariant ${JSON.stringify(bad)} is above the bar ${JSON.stringify(bar)}`);
  }, { viewport: { width: 390, height: 844 } });
});
