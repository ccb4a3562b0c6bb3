// The exhaustive search in the page: it runs in a Web Worker, finds the stale-set race
// and plays its shortest run as a branch; with a lease it finds none in a complete
// search; during a long search the page still answers, and cancel stops it within
// 100 ms of the click (timed in the page: the click's time stamp to the worker's end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { ExplorePage } from '../pages/ExplorePage.mjs';

const { withPage } = useApp();

test('stale-set-race with no fix: the search finds the race and plays its shortest run', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'stale-set-race' });
    const ex = new ExplorePage(page);
    await ex.start();
    const r = await ex.result();
    assert.equal(r.complete, true, 'the search is complete');
    assert.ok(r.states > 100, `it searched many states: ${r.states}`);
    assert.ok(r.ends > 0);
    assert.equal(r.violations, 1);
    assert.deepEqual(r.counterexamples, [{ invariant: 'cache-matches-db', steps: 16 }]);
    assert.doesNotMatch(r.text, /correct/i, 'a search never says "correct"');
    assert.match(r.text, /It is the stale-set race/);
    assert.deepEqual(await ex.teaches(), [], 'no link to the scenario already loaded');
    assert.equal(await sp.invariant('cache-matches-db'), 'ok', 'at step 0 nothing is broken yet');

    await ex.play('cache-matches-db');
    assert.equal(await sp.step(), 16, 'the counterexample is loaded, the cursor at its end');
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
    assert.equal(await sp.canStepForward(), false, 'the run has ended there');
    assert.equal(await sp.canStepBack(), true, 'and can be stepped back');
  });
});

test('cache-aside-write ends ok, but the search shows the stale-set race and links to it', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'cache-aside-write' });
    const ex = new ExplorePage(page);
    await ex.start();
    const r = await ex.result();
    assert.equal(r.complete, true);
    assert.deepEqual(r.counterexamples, [{ invariant: 'cache-matches-db', steps: 21 }]);
    assert.match(r.text, /It is the stale-set race/);
    assert.deepEqual(await ex.teaches(), ['stale-set-race']);
    assert.equal(await ex.el('explore-teaches').getAttribute('href'), '?scenario=stale-set-race');
  });
});

// hybrid ends ok, but its stale-set race breaks cache-matches-db in 45 steps; a batch
// job's race on user:2 is exactly as short and breadth first meets it first, so the
// page shows, among the shortest runs, one the catalog teaches (session 26).
test('hybrid: a complete search shows the stale-set race among its shortest runs, and plays it', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'hybrid' });
    const ex = new ExplorePage(page);
    await ex.start();
    const r = await ex.result(600_000);
    assert.equal(r.complete, true, 'complete within the bound');
    assert.equal(r.states, 984910);
    assert.deepEqual(r.counterexamples, [{ invariant: 'cache-matches-db', steps: 45 }]);
    const card = ex.el('explore-counterexample');
    assert.equal(await card.getAttribute('data-shortest'), 'true');
    // One of several as short, and the card says so (session 26's review).
    assert.match(
      await card.textContent(),
      /cache-matches-db: the shortest runs that end with it broken have 45 steps\. Shown: one of them that the catalog teaches \(the first the search met is another\)\. It is the stale-set race/,
    );
    assert.deepEqual(await ex.teaches(), ['stale-set-race']);

    await ex.play('cache-matches-db');
    assert.equal(await sp.step(), 45, 'the run is loaded, the cursor at its end');
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
    assert.equal(await sp.canStepForward(), false, 'the run has ended there');
  });
});

// dual-write-crash with the outbox: breadth first stops at the page's million states
// (runs end past depth 21 there) and the page searches depth first, and shows the run
// it finds, never called the shortest (hybrid's search did this until session 26).
test('dual-write-crash with outbox: past the bound a depth-first phase finds a run, not known to be the shortest, that plays', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'dual-write-crash', fix: 'outbox' });
    const ex = new ExplorePage(page);
    await ex.start();
    const r = await ex.result(600_000);
    assert.equal(r.complete, false, 'stopped at the bound');
    assert.deepEqual(r.counterexamples, [{ invariant: 'cache-matches-db', steps: 32 }]);
    const c = ex.el('explore-counterexample');
    assert.equal(await c.getAttribute('data-shortest'), 'false');
    assert.match(await c.textContent(), /not known to be the shortest/);
    assert.doesNotMatch(r.text, /the shortest run/);
    // Found by the phase's first part (session 27): the reader's set held back; the
    // depth-first search never ran, and the words do not say it did.
    assert.match(r.text, /runs in earliest-first order, each with at most one event held back until no other is enabled, visited 185 states/);
    assert.doesNotMatch(r.text, /depth-first search/);
    // The bound is named, its numbers grouped, and the bar says it stopped there
    // (review session 12, V7).
    assert.match(r.text, /Stopped at a bound \(no faults but the scenario's own\): 1,000,000 \(the state bound\) distinct states searched/);
    const mark = await ex.boundMark();
    assert.equal(mark.words, '"Stopped at a bound: "');
    assert.notEqual(mark.bar, 'auto', 'its full bar is drawn in another colour than a complete search\'s');
    assert.match(r.text, /It is the stale-set race/);

    await ex.play('cache-matches-db');
    assert.equal(await sp.step(), 32, 'the run is loaded, the cursor at its end');
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
    assert.equal(await sp.canStepForward(), false, 'the run has ended there');
  });
});

test('stale-set-race with the lease: a complete search finds no violation', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'stale-set-race', fix: 'lease' });
    const ex = new ExplorePage(page);
    await ex.start();
    const r = await ex.result();
    assert.equal(r.complete, true);
    assert.equal(r.violations, 0);
    assert.deepEqual(r.counterexamples, []);
    assert.match(r.text, new RegExp(`No violation in ${r.states} states`));
    assert.doesNotMatch(r.text, /correct/i);
    // A complete search's bar is full: its states were all there were.
    const bar = page.locator('[data-testid="explore-progress"] progress');
    assert.equal(await bar.getAttribute('value'), await bar.getAttribute('max'));
  });
});

test('during a long search the step buttons answer, and cancel stops it within 100 ms', async (t) => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'hybrid' });
    const ex = new ExplorePage(page);
    await ex.setFaults(2);
    await ex.start();
    await ex.waitStates(2000);
    assert.equal((await ex.progress()).running, true);

    assert.equal(await sp.stepForward(), 1, 'the page steps while the worker searches');
    assert.equal(await sp.stepForward(), 2);
    assert.equal(await sp.stepBack(), 1);
    assert.equal((await ex.progress()).running, true, 'the search goes on meanwhile');

    const at = await ex.cancelTimed();
    assert.ok(at.click !== null && at.terminated !== null, `the click and the worker's end were seen: ${JSON.stringify(at)}`);
    const [terminated, shown] = [at.terminated - at.click, at.stopped - at.click];
    t.diagnostic(`cancel: worker terminated ${terminated.toFixed(1)} ms, progress stopped ${shown.toFixed(1)} ms after the click`);
    assert.ok(terminated >= 0, 'the worker ends after the click');
    assert.ok(terminated <= 100, `the worker is terminated within 100 ms of the click: ${terminated.toFixed(1)} ms`);
    assert.ok(shown <= 100, `the progress says it stopped within 100 ms of the click: ${shown.toFixed(1)} ms`);
    const stopped = await ex.progress();
    assert.equal(stopped.running, false, 'cancel stops the search at once');
    // The worker is gone: nothing it might still have said changes the count.
    await page.evaluate(() => new Promise((done) => setTimeout(done, 300)));
    assert.equal((await ex.progress()).states, stopped.states);
    assert.equal(await ex.el('explore-result').count(), 0, 'a cancelled search shows no result');
  });
});

test('view=explore brings the panel into view', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'stale-set-race', view: 'explore' });
    const ex = new ExplorePage(page);
    await page.waitForFunction(() => window.scrollY > 0 || document.documentElement.scrollHeight <= innerHeight);
    const box = await ex.el('explore-start').boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 800, `explore-start is in the viewport: ${JSON.stringify(box)}`);
  });
});
