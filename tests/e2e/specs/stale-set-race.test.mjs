// stale-set-race: the reader's late set puts v1 back after the writer committed v2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';

const { withPage } = useApp();
const SCENARIO = 'stale-set-race';
const FIXES = ['versioned-set', 'lease', 'delayed-double-delete'];

test('stale-set-race with no fix, stepped to the end by hand, leaves the cache stale', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: SCENARIO });
    assert.equal(await sp.scenarioId(), SCENARIO);
    assert.equal(await sp.step(), 0);
    assert.equal(await sp.loadError(), null);
    assert.equal(await sp.canStepBack(), false, 'step-back is disabled at step 0');

    let step = 0;
    while (await sp.canStepForward()) {
      const next = await sp.stepForward();
      assert.equal(next, step + 1, 'data-step is the next number right after the click');
      step = next;
      assert.ok(step <= 500, 'a run has at most 500 steps');
    }
    assert.ok(step > 0, 'the run has steps');
    assert.equal(await sp.steps(), step, 'data-steps is the run length once it has ended');
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');

    const cache = await sp.cacheEntries();
    const db = await sp.dbRows();
    const stale = cache.find((c) => c.value === 'v1');
    assert.ok(stale, `the cache holds v1 at the end: ${JSON.stringify(cache)}`);
    const row = db.find((r) => r.key === stale.key);
    assert.ok(row, `the db has a row for ${stale.key}: ${JSON.stringify(db)}`);
    assert.equal(row.value, 'v2', 'the db holds v2');

    // run-to-end reaches the same end as stepping by hand.
    const byHand = await sp.snapshot();
    await sp.reset();
    assert.equal(await sp.step(), 0, 'reset goes back to step 0');
    assert.equal(await sp.runToEnd(), step, 'run-to-end jumps to the end at once');
    assert.deepEqual(await sp.snapshot(), byHand);
  });
});

test('stale-set-race with the lease fix switched on ends ok', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: SCENARIO });
    assert.deepEqual((await sp.fixes()).slice().sort(), FIXES.slice().sort(), 'the scenario offers its fixes');
    assert.equal(await sp.fixOn('lease'), false);
    assert.equal(await sp.toggleFix('lease'), true, 'aria-pressed=true after the click');
    const end = await sp.runToEnd();
    assert.ok(end > 0);
    assert.equal(await sp.steps(), end, 'the run has ended');
    assert.equal(await sp.invariant('cache-matches-db'), 'ok');
    const atEnd = await sp.snapshot();

    // The same through the URL.
    await sp.goto({ scenario: SCENARIO, fix: 'lease' });
    assert.equal(await sp.fixOn('lease'), true, 'fix=lease in the URL switches the fix on');
    await sp.runToEnd();
    assert.deepEqual(await sp.snapshot(), atEnd, 'fix=lease in the URL gives the same run as the toggle');

    // Switching it off again brings the race back.
    assert.equal(await sp.toggleFix('lease'), false);
    await sp.runToEnd();
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
  });
});

for (const fix of FIXES) {
  test(`stale-set-race with fix ${fix} ends ok`, async () => {
    await withPage(async (sp) => {
      await sp.goto({ scenario: SCENARIO });
      assert.equal(await sp.toggleFix(fix), true);
      for (const other of FIXES.filter((f) => f !== fix)) assert.equal(await sp.fixOn(other), false);
      await sp.runToEnd();
      assert.equal(await sp.step(), await sp.steps(), 'the run has ended');
      assert.equal(await sp.invariant('cache-matches-db'), 'ok');
      const db = await sp.dbRows();
      assert.ok(db.some((r) => r.value === 'v2'), `the db holds v2: ${JSON.stringify(db)}`);
      for (const c of await sp.cacheEntries()) {
        const row = db.find((r) => r.key === c.key);
        assert.equal(c.value, row?.value, `cache ${c.key} matches the db`);
      }
    });
  });
}

// data-steps tells the run's length once the run has reached its end; after a step back
// from the end the length is still known, so it is left out of these comparisons.
const withoutSteps = (snap) => ({
  ...snap,
  'step-counter': snap['step-counter'].map(({ 'data-steps': _, ...rest }) => rest),
});

test('step-back brings every earlier state back', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: SCENARIO });
    const forward = [await sp.snapshot()];
    while (await sp.canStepForward()) {
      await sp.stepForward();
      forward.push(await sp.snapshot());
    }
    const end = forward.length - 1;
    assert.ok(end >= 2, 'the run has at least two steps');
    assert.notDeepEqual(forward[end], forward[0], 'the state changes over the run');

    for (let i = end - 1; i >= 0; i--) {
      assert.equal(await sp.stepBack(), i, 'data-step is the previous number right after the click');
      const snap = withoutSteps(await sp.snapshot());
      // Spelled out first for readable failures, then everything.
      assert.deepEqual(snap['cache-entry'], forward[i]['cache-entry'], `cache entries at step ${i}`);
      assert.deepEqual(snap.metric, forward[i].metric, `metrics at step ${i}`);
      assert.deepEqual(snap.invariant, forward[i].invariant, `invariants at step ${i}`);
      assert.deepEqual(snap, withoutSteps(forward[i]), `the whole state at step ${i}`);
    }
    assert.equal(await sp.canStepBack(), false, 'step-back is disabled at step 0');

    // From the end reached by run-to-end, one step back is the state before the end.
    await sp.runToEnd();
    await sp.stepBack();
    assert.deepEqual(withoutSteps(await sp.snapshot()), withoutSteps(forward[end - 1]));
  });
});

test('?step=4 gives the same state as four clicks on step-forward', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: SCENARIO, step: 4 });
    assert.equal(await sp.loadError(), null);
    assert.equal(await sp.step(), 4);
    const fromUrl = await sp.snapshot();

    await sp.goto({ scenario: SCENARIO });
    assert.equal(await sp.stepForwardTimes(4), 4);
    const byClicks = await sp.snapshot();
    assert.deepEqual(fromUrl, byClicks);

    // And at the very end of the run.
    const end = await sp.runToEnd();
    const endByButton = await sp.snapshot();
    await sp.goto({ scenario: SCENARIO, step: end });
    assert.equal(await sp.loadError(), null);
    assert.deepEqual(await sp.snapshot(), endByButton, `?step=${end} is the end of the run`);
  });
});

test('ArrowRight steps forward and ArrowLeft steps back', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: SCENARIO });
    const s0 = await sp.snapshot();
    assert.equal(await sp.press('ArrowRight'), 1);
    const s1 = await sp.snapshot();
    assert.equal(await sp.press('ArrowRight'), 2);
    assert.equal(await sp.press('ArrowLeft'), 1);
    assert.deepEqual(await sp.snapshot(), s1);
    assert.equal(await sp.press('ArrowLeft'), 0);
    assert.deepEqual(await sp.snapshot(), s0);
    assert.equal(await sp.press('ArrowLeft'), 0, 'ArrowLeft at step 0 does nothing');

    // Keys step the same way as the buttons.
    await sp.stepForward();
    assert.deepEqual(await sp.snapshot(), s1);
  });
});
