// The search panel heard, read by keyboard and read for what it measures (review 23):
// a search stopped by a fix toggled under it says so, not "Cancelled.", and nothing of
// it stays (S5); the focus stays on a control (Cancel while a search runs, Search
// after), the verdict comes from a polite live region once and the progress is no live
// region, the bar is named for what it measures, each Play button for the run it plays,
// and on a phone the result reached by Tab is on screen (U4); the progress names its
// phase, and a count that goes down comes with the words of a new phase (U3; the
// depth-first phase is checked natively, tests/search_progress.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useApp } from '../lib/harness.mjs';
import { ExplorePage } from '../pages/ExplorePage.mjs';

const { withPage } = useApp();

const shot = (name) => path.join(process.env.SHOTS_DIR ?? '/tmp', name);
/** The focused element's test id (or its tag). */
const focused = (page) =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
const waitFocus = (page, id) =>
  page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === id, id, { timeout: 60_000 });
const pause = (page, ms) => page.evaluate((ms) => new Promise((r) => setTimeout(r, ms)), ms);

test('a fix toggled under a running search stops it and says so, not "Cancelled.", with nothing of it left (S5)', async () => {
  await withPage(async (sp, page) => {
    // With the outbox the search runs to its bound (without it, it ends at 14,238 states).
    await sp.goto({ scenario: 'dual-write-crash', fix: 'outbox' });
    const ex = new ExplorePage(page);
    await ex.start();
    await ex.waitStates(2000);
    await page.evaluate(() => {
      const terminate = Worker.prototype.terminate;
      window.__terminated = 0;
      Worker.prototype.terminate = function () {
        window.__terminated += 1;
        return terminate.call(this);
      };
    });
    assert.equal(await sp.toggleFix('outbox'), false);
    await ex.waitStopped();
    assert.equal(await ex.progressHidden(), false, 'the panel says what happened');
    assert.equal(
      (await ex.el('explore-progress').textContent()).trim(),
      'Stopped: the fixes changed, so this search no longer matches the run. Search again to search the run shown.',
    );
    assert.equal((await ex.progress()).states, 0, "none of the old setup's numbers");
    assert.ok((await page.evaluate(() => window.__terminated)) >= 1, 'its worker is gone');
    await pause(page, 500);
    assert.equal(await ex.el('explore-result').count(), 0, 'no result of the old setup');
    assert.doesNotMatch(await page.locator('#explore').innerText(), /Cancel+ed/);
    assert.equal(await ex.el('explore-start').isEnabled(), true);
    // Toggled back: the stopped search's numbers and result stay gone.
    assert.equal(await sp.toggleFix('outbox'), true);
    assert.equal(await ex.el('explore-result').count(), 0);
    assert.doesNotMatch(await page.locator('#explore').innerText(), /Cancel+ed|distinct states/);
  });
});

test('a result shows only with the fixes it searched: after a toggle, the new search is its own (S5)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'stale-set-race' });
    const ex = new ExplorePage(page);
    await ex.start();
    let r = await ex.result();
    assert.deepEqual(r.counterexamples.map((c) => c.invariant), ['cache-matches-db']);
    assert.equal(await sp.toggleFix('lease'), true);
    assert.equal(await ex.el('explore-result').count(), 0, 'the result without the lease is not shown with it');
    await ex.start();
    r = await ex.result();
    assert.deepEqual(r.counterexamples, [], "the lease's own search");
    assert.equal(r.violations, 0);
  });
});

test("the focus stays on a control: Cancel while a search runs, Search after; the learner's own focus stays (U4)", async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'dual-write-crash', fix: 'outbox' });
    const ex = new ExplorePage(page);
    await ex.el('explore-start').focus();
    await page.keyboard.press('Enter');
    await waitFocus(page, 'explore-cancel');
    await ex.waitStates(1000);
    assert.equal((await ex.progress()).running, true);
    await page.keyboard.press('Enter');
    await waitFocus(page, 'explore-start');
    assert.equal((await ex.progress()).running, false);
    assert.match(await ex.el('explore-progress').textContent(), /^Cancelled\. Breadth first: /);

    // A search that ends by itself: the focus is on Search again.
    await sp.openScenario('stale-set-race');
    await ex.el('explore-start').focus();
    await page.keyboard.press('Enter');
    await ex.result();
    await waitFocus(page, 'explore-start');

    // Focus the learner moved elsewhere while it ran stays there.
    await sp.openScenario('cdc-invalidation');
    await ex.el('explore-start').focus();
    await page.keyboard.press('Enter');
    await waitFocus(page, 'explore-cancel');
    await page.locator('[data-testid="step-forward"]').focus();
    await ex.result();
    await pause(page, 100);
    assert.equal(await focused(page), 'step-forward');
  });
});

test('the verdict is said once, from a polite live region; the bar is named for what it measures and the progress is not live (U3, U4)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'cdc-invalidation' });
    const ex = new ExplorePage(page);
    const live = page.locator('#explore [aria-live="polite"]');
    assert.equal(await live.count(), 1, 'the live region is there before any result');
    // Every change inside the live region, and whether a search was running then.
    await page.evaluate(() => {
      const region = document.querySelector('#explore [aria-live="polite"]');
      const progress = document.querySelector('[data-testid="explore-progress"]');
      window.__said = [];
      new MutationObserver((changes) => {
        for (const c of changes) window.__said.push(progress.getAttribute('data-running'));
      }).observe(region, { childList: true, subtree: true, characterData: true });
    });
    await ex.start();
    await ex.waitStates(20_000);
    const bar = page.getByRole('progressbar', { name: 'Distinct states found breadth first, of at most 1,000,000' });
    assert.equal(await bar.count(), 1, 'the bar is named for what it measures');
    assert.equal(await bar.getAttribute('max'), '1000000');
    assert.match(
      await ex.el('explore-progress').textContent(),
      /^Breadth first: [\d,]+ distinct states of at most 1,000,000, depth \d+, [\d,]+ states\/s$/,
    );
    const progress = ex.el('explore-progress');
    assert.equal(
      await progress.evaluate((e) => e.closest('[aria-live], [role="status"], [role="log"], [role="alert"]') === null),
      true,
      'the progress, which changes ten times a second, is no live region',
    );
    const r = await ex.result();
    assert.equal(await ex.el('explore-result').evaluate((e) => e.closest('[aria-live="polite"]') !== null), true);
    await pause(page, 300);
    const said = await page.evaluate(() => window.__said);
    assert.ok(said.length > 0, 'the result was added to the live region');
    assert.deepEqual([...new Set(said)], ['false'], 'nothing changed in it while the search ran');
    assert.match(await live.innerText(), new RegExp(r.text.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
});

test('each Play button is named for the run it plays, with its visible words first (U4)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'stale-set-race' });
    const ex = new ExplorePage(page);
    await ex.start();
    const r = await ex.result();
    for (const c of r.counterexamples) {
      const play = ex.playButton(c.invariant);
      assert.equal((await play.textContent()).trim(), 'Play it as a branch');
      assert.equal(await play.getAttribute('aria-label'), `Play it as a branch: the shortest run that breaks ${c.invariant}`);
      assert.equal(
        await page.getByRole('button', { name: `Play it as a branch: the shortest run that breaks ${c.invariant}` }).count(),
        1,
      );
    }
    const names = await ex.el('explore-play').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.equal(new Set(names).size, names.length, `no two alike: ${names}`);
  });
});

test('at 390x844 in dark mode the result reached by Tab from Search is on screen, above the sticky bar (U4)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'cdn-purge-race' });
    const ex = new ExplorePage(page);
    await ex.el('explore-start').focus();
    await page.keyboard.press('Enter');
    await ex.result();
    await waitFocus(page, 'explore-start');
    await page.keyboard.press('Tab');
    await waitFocus(page, 'explore-play');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const play = await ex.el('explore-play').evaluate((e) => e.getBoundingClientRect().toJSON());
    const bar = await page.locator('[data-testid="step-forward"]').evaluate((e) => e.parentElement.getBoundingClientRect().toJSON());
    assert.ok(play.top >= 0 && play.bottom <= bar.top, `Play ${JSON.stringify(play)} is above the bar ${JSON.stringify(bar)}`);
    await page.screenshot({ path: shot('explore-a11y-phone-dark.png') });
  }, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
});

/** Keeps every state of the progress line (its count, words and bar's name) in `window.__seen`. */
const watchProgress = (page) =>
  page.evaluate(() => {
    const p = document.querySelector('[data-testid="explore-progress"]');
    window.__seen = [];
    new MutationObserver(() => {
      const text = p.querySelector('span').textContent;
      const label = p.querySelector('progress').getAttribute('aria-label');
      window.__seen.push({ states: Number(p.getAttribute('data-states')), text, label });
    }).observe(p, { attributes: true, subtree: true, childList: true, characterData: true });
  });

/** The phase a progress line names (its words before the first colon or bracket). */
const phase = (t) => t.replace(/^Cancelled\. /, '').split(/[:(]/)[0].trim();

/** Asserts that wherever the count went down, the line names another phase and says it is a new one. */
function downOnlyWithANewPhase(seen) {
  let last = null;
  for (const s of seen) {
    if (last && s.states < last.states && !/^Cancelled/.test(s.text)) {
      assert.notEqual(phase(s.text), phase(last.text), `the count went from ${last.states} to ${s.states} in one phase: ${s.text}`);
      assert.match(s.text, /\(a new phase: /);
    }
    last = s;
  }
}

test('a search that starts over in absolute time says so where its count goes down (U3)', { timeout: 300_000 }, async () => {
  await withPage(async (sp, page) => {
    // With one fault to place, write-behind-crash's shifted states could pass the horizon.
    await sp.goto({ scenario: 'write-behind-crash' });
    const ex = new ExplorePage(page);
    await watchProgress(page);
    await ex.setFaults(1);
    await ex.start();
    await page.waitForFunction(
      () => /^Breadth first again/.test(document.querySelector('[data-testid="explore-progress"] span').textContent),
      null,
      { timeout: 240_000 },
    );
    await ex.cancel();
    const seen = await page.evaluate(() => window.__seen);
    downOnlyWithANewPhase(seen);
    const again = seen.find((s) => /^Breadth first again/.test(s.text));
    assert.match(
      again.text,
      /^Breadth first again, in absolute time \(a new phase: states shifted in time cannot be taken as one here, since the horizon falls between them, so the search started over\): [\d,]+ distinct states of at most 1,000,000/,
    );
    assert.equal(again.label, 'Distinct states found breadth first in absolute time, of at most 1,000,000');
  });
});
