// Issue 11: the race on one screen, where am I, the keyboard, and accessibility.
// Against the release build in headless Chromium, through the contract's test ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { ScreenPage } from '../pages/ScreenPage.mjs';

const { withPage } = useApp();

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`at ${viewport.width}x${viewport.height} the narration, every node and every invariant are on screen, at step 0 and at the race`, async () => {
    await withPage(async (scenarioPage) => {
      const sp = ScreenPage.from(scenarioPage);
      await sp.goto({ scenario: 'stale-set-race' });
      const onScreen = async (when) => {
        for (const id of ['narration', 'node', 'invariant', 'step-forward', 'step-counter']) {
          assert.deepEqual(await sp.outsideViewport(id), [], `${when}: ${id} is on screen`);
        }
      };
      await onScreen('step 0');
      const race = (await sp.chapters()).find((c) => c.kind === 'race');
      assert.ok(race, 'the race is a chapter on the timeline');
      assert.equal(await sp.jumpToChapter('race'), race.step, 'its chapter jumps to it');
      await onScreen(`the race (step ${race.step})`);
      const broken = await sp.jumpToChapter('violated');
      assert.equal(await sp.invariant('cache-matches-db'), 'violated');
      await onScreen(`the violation (step ${broken})`);
      // The stale copy is marked in the diagram itself, with a symbol.
      const cache = await sp.nodeText('cache');
      assert.match(cache, /user:1 = v1 ≠ db/);
      const db = await sp.nodeText('db');
      assert.match(db, /user:1 = v2 ≠ cache/);
    }, { viewport });
  });
}

test('at 390x844 the page does not scroll sideways and the diagram keeps a legible size', async () => {
  await withPage(async (scenarioPage) => {
    const sp = ScreenPage.from(scenarioPage);
    for (const scenario of ['stale-set-race', 'dual-write-crash', 'stampede', 'write-behind-crash']) {
      await sp.goto({ scenario });
      await sp.stepForwardTimes(6);
      assert.ok((await sp.scrollWidth()) <= 390, `${scenario}: scrollWidth ${await sp.scrollWidth()} <= 390`);
      const { px, units } = await sp.diagramScale();
      assert.ok(px / units >= 0.85, `${scenario}: the diagram is drawn at ${px}px for ${units} units`);
      assert.deepEqual(await sp.outsideViewport('step-forward'), [], `${scenario}: Step is in reach`);
    }
  }, { viewport: { width: 390, height: 844 } });
});

test('at 390x844 the cut toolbar row fades at its end and scrolls its last button clear; no fault is cut by its panel', async () => {
  await withPage(async (scenarioPage) => {
    const sp = ScreenPage.from(scenarioPage);
    // Six steps in, the run offers eleven faults: more than the panel held in a box of
    // its own (the last one was cut in two).
    await sp.goto({ scenario: 'cdc-invalidation' });
    await sp.stepForwardTimes(6);
    const row = await sp.sidewaysRow('present');
    assert.ok(row, 'the toolbar scrolls sideways on a phone');
    assert.ok(row.overflows, 'at 390 px the toolbar is wider than the screen');
    assert.match(row.mask, /linear-gradient/, 'the cut row fades at its end (the cue that it goes on)');
    // Scrolled to its end, the last button is whole and clear of the fade (2rem).
    assert.ok(row.endGap >= 24 && row.startGap >= 0, `Present is clear of the fade: ${JSON.stringify(row)}`);
    assert.ok((await sp.el('fault').count()) >= 10, 'the run offers its faults');
    assert.deepEqual(await sp.cutByTheirBox('fault'), [], 'no fault button is cut by a box around it');
  }, { viewport: { width: 390, height: 844 } });
});

test('Space and Enter on a focused fix toggle press it and do not start play', async () => {
  await withPage(async (scenarioPage) => {
    const sp = ScreenPage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await sp.focusFix('lease');
    await sp.page.keyboard.press(' ');
    assert.equal(await sp.fixOn('lease'), true, 'Space toggled the fix on');
    assert.equal(await sp.playing(), false, 'and did not start play');
    assert.equal(await sp.step(), 0);
    await sp.focusFix('lease');
    await sp.page.keyboard.press('Enter');
    assert.equal(await sp.fixOn('lease'), false, 'Enter toggled it off');
    assert.equal(await sp.playing(), false);
    // A button has no use for the arrows: they step from it (review session 14, X11).
    await sp.focusFix('lease');
    await sp.page.keyboard.press('ArrowRight');
    assert.equal(await sp.step(), 1, '→ steps from a focused button');
    // A slider's arrows are its own; Escape hands them back.
    await sp.el('speed').focus();
    await sp.page.keyboard.press('ArrowRight');
    assert.equal(await sp.step(), 1, 'no global shortcut while a slider has the focus');
    await sp.page.keyboard.press('Escape');
    await sp.page.keyboard.press('ArrowRight');
    assert.equal(await sp.step(), 2, 'after Escape the shortcut steps');
  });
});

test('the counter reads "step n of N" from the start, and the timeline spans the whole run', async () => {
  await withPage(async (scenarioPage) => {
    const sp = ScreenPage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    const total = await sp.steps();
    assert.ok(total > 0, 'data-steps is known at step 0 (run ahead)');
    assert.match(await sp.counterText(), new RegExp(`^Step 0 of ${total}\\b`));
    assert.equal(await sp.el('scrubber').getAttribute('max'), String(total));
    await sp.stepForward();
    assert.match(await sp.counterText(), new RegExp(`^Step 1 of ${total}\\b`));
    assert.equal(await sp.runToEnd(), total, 'the end is where the counter said');
    // At the end Play says it starts again; it does not restart silently.
    assert.match(await sp.el('play-pause').innerText(), /Replay/);
    // Choosing another event makes another run: the counter follows it.
    await sp.goto({ scenario: 'stale-set-race', fix: 'delayed-double-delete' });
    const longer = await sp.steps();
    assert.ok(longer > total, `the second delete adds steps (${longer} > ${total})`);
    assert.ok((await sp.chapters()).some((c) => c.kind === 'fix'), 'the fix acting is a chapter');
  });
});

test('list buttons name their event by id; a change of an invariant is announced', async () => {
  await withPage(async (scenarioPage) => {
    const sp = ScreenPage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    const events = await sp.el('next-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    assert.ok(events.length > 0 && events.every((e) => /^(start|deliver|fire) \S+$/.test(e)), events.join(', '));
    const broken = (await sp.chapters()).find((c) => c.kind === 'violated');
    await sp.goto({ scenario: 'stale-set-race', step: broken.step - 1 });
    assert.equal(await sp.el('invariant-news').innerText(), '');
    await sp.stepForward();
    assert.match(await sp.el('invariant-news').innerText(), /cache-matches-db is now violated/);
    assert.equal(await sp.el('invariant-news').getAttribute('aria-live'), 'polite');
  });
});

for (const theme of ['light', 'dark']) {
  test(`axe-core finds no WCAG A/AA violation in ${theme} mode on three scenarios`, async () => {
    await withPage(async (scenarioPage) => {
      const sp = ScreenPage.from(scenarioPage);
      for (const [scenario, step] of [['stale-set-race', 14], ['dual-write-crash', 13], ['stampede', 30]]) {
        await sp.goto({ scenario, step });
        assert.equal(await sp.setTheme(theme), theme);
        const violations = await sp.axeViolations();
        assert.deepEqual(violations, [], `${scenario} (${theme}): ${JSON.stringify(violations, null, 1)}`);
      }
    });
  });
}
