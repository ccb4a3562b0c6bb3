// The explorer reached by a phone, a projector and a keyboard (review session 14):
// "Play it as a branch" brings the narration into view as a fault does, and its
// button is not left under a phone's sticky bar (X10); after Play by keyboard, the
// arrow keys, Home and End step from the focused button, while the faults field keeps
// its own arrows (X11); the faults field says what it did with what was typed (X12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { ScreenPage } from '../pages/ScreenPage.mjs';
import { ExplorePage } from '../pages/ExplorePage.mjs';

const { withPage } = useApp();

/** Two animation frames: what the page does after a click in a frame has been done. */
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** The box of the first element of test id `id` (or its parent's), in the viewport. */
const box = (page, id, parent = false) =>
  page.locator(`[data-testid="${id}"]`).first().evaluate((e, parent) => {
    const r = (parent ? e.parentElement : e).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom };
  }, parent);

test('at 390x844 the result\'s Play sits above the sticky bar, and Play shows the narration (X10)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const ex = new ExplorePage(page);
    await sp.goto({ scenario: 'cdn-purge-race' });
    await ex.start();
    const r = await ex.result();
    assert.deepEqual(r.counterexamples, [{ invariant: 'cache-matches-db', steps: 20 }]);
    await frames(page);
    const play = await ex.playButton('cache-matches-db').evaluate((e) => e.getBoundingClientRect().toJSON());
    const bar = await box(page, 'step-forward', true);
    assert.ok(play.top >= 0 && play.bottom <= bar.top, `Play ${JSON.stringify(play)} is above the bar ${JSON.stringify(bar)}`);
    await ex.play('cache-matches-db');
    await frames(page);
    assert.equal(await sp.step(), 20);
    const said = await box(page, 'narration', true);
    // (Scrolled to its top: within a pixel of 0.)
    assert.ok(said.top >= -1 && said.bottom <= bar.top, `the narration ${JSON.stringify(said)} is on screen, above the bar`);
  }, { viewport: { width: 390, height: 844 } });
});

test('at 1280x720 Play brings the ending on screen, clear of the step bar (X10)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const ex = new ExplorePage(page);
    await sp.goto({ scenario: 'cdn-purge-race' });
    await ex.start();
    await ex.result();
    await ex.play('cache-matches-db');
    await frames(page);
    assert.equal(await sp.step(), 20);
    assert.deepEqual(await sp.outsideViewport('narration'), [], 'the ending is on screen');
    const bar = await box(page, 'step-forward', true);
    const said = await box(page, 'narration');
    assert.ok(said.top >= bar.bottom, `the narration ${JSON.stringify(said)} is not under the bar ${JSON.stringify(bar)}`);
  }, { viewport: { width: 1280, height: 720 } });
});

test('after Play by keyboard the arrows, Home and End step from its button; the faults field keeps its arrows (X11)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const ex = new ExplorePage(page);
    await sp.goto({ scenario: 'stale-set-race' });
    await ex.el('explore-start').focus();
    await page.keyboard.press('Enter');
    await ex.result();
    await ex.playByKeyboard('cache-matches-db');
    assert.equal(await sp.step(), 16);
    assert.equal((await sp.focused()).testid, 'explore-play');
    assert.equal(await sp.press('ArrowLeft'), 15, '← steps back from the Play button');
    assert.equal(await sp.press('ArrowLeft'), 14);
    assert.equal(await sp.press('ArrowRight'), 15, '→ steps on');
    assert.equal(await sp.press('Home'), 0, 'Home resets');
    assert.equal(await sp.press('End'), 16, 'End runs to the end of the branch');
    assert.equal((await sp.focused()).testid, 'explore-play', 'the focus stays where it was');
    // A number field's arrows are its own: ↑ raises it, ← moves the caret.
    await ex.el('explore-faults').focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await ex.el('explore-faults').inputValue(), '1');
    assert.equal(await sp.press('ArrowLeft'), 16, 'no step from a field');
    assert.equal(await sp.press('Home'), 16);
  });
});

test('the faults field says what it did with what was typed (X12)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const ex = new ExplorePage(page);
    await sp.goto({ scenario: 'stale-set-race' });
    // Two digits typed one after the other stay in the order typed.
    assert.deepEqual(await ex.typeFaults('12'), {
      value: '3',
      note: '12 faults: the search places a whole number from 0 to 3, so it uses 3.',
    });
    assert.deepEqual(await ex.typeFaults('9'), {
      value: '3',
      note: '9 faults: the search places a whole number from 0 to 3, so it uses 3.',
    });
    assert.deepEqual(await ex.typeFaults('1.5'), {
      value: '1',
      note: '1.5 faults: the search places a whole number from 0 to 3, so it uses 1.',
    });
    assert.deepEqual(await ex.typeFaults('-1'), {
      value: '0',
      note: '-1 faults: the search places a whole number from 0 to 3, so it uses 0.',
    });
    assert.deepEqual(await ex.typeFaults('2'), { value: '2', note: null });
    // `e` is no number: the field gives "" and the number before it stays.
    assert.deepEqual(await ex.typeFaults('e'), {
      value: '2',
      note: 'Not a whole number from 0 to 3: the search still places 2.',
    });
    // The search runs with what the field says.
    await ex.typeFaults('1');
    await ex.start();
    const r = await ex.result();
    assert.match(r.text, /up to 1 fault placed anywhere/);
  });
});

test('a card says what its run\'s own states show: a drop that only ends the run sooner, a TTL past the horizon (X6, X7)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const ex = new ExplorePage(page);
    // Review session 14: a 17-step "shortest" run whose drop m14 only ends it sooner.
    await sp.goto({ scenario: 'invalidate-before-commit' });
    await ex.typeFaults('1');
    await ex.start();
    await ex.result();
    const card = await ex.cardText('cache-matches-db');
    assert.match(
      card,
      /The search's fault drop m14 \(step 17\) is not what breaks cache-matches-db: without it, the same steps, then on to the end, end with it broken too, after \d+ steps\. The fault only ends this run sooner\./,
    );
    assert.match(card, /until its TTL ends it at \d+ ms, after this run's horizon \(1000 ms\): the run ends first/);
    // stale-set-race with lease: the drop loses the delete that would mend the cache.
    await sp.goto({ scenario: 'stale-set-race', fix: 'lease' });
    await ex.typeFaults('1');
    await ex.start();
    await ex.result();
    assert.doesNotMatch(await ex.cardText('cache-matches-db'), /not what breaks/);
  });
});
