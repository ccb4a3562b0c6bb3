// The explorer's result read as a learner reads it (review session 12: V7, V8, V10, V12,
// V15): a search stops when its setup is no longer shown; a break says in how many end
// states it is known; a search stopped at its bound is drawn and named as such; the
// counterexample's link names the scenario by its title; and playing it adds its own
// branch off the scenario's own run, which stays listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { ExplorePage } from '../pages/ExplorePage.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';

const { withPage } = useApp();

test('opening another scenario stops the search and hides its numbers (V15)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'cdc-invalidation' });
    const ex = new ExplorePage(page);
    await ex.start();
    await ex.waitStates(1000);
    assert.equal((await ex.progress()).running, true);
    await sp.openScenario('stale-set-race');
    // Hidden until the worker's next message, which stops it (it may have come already).
    assert.ok(
      (await ex.progressHidden()) || /^Stopped: /.test(await ex.el('explore-progress').textContent()),
      "cdc's numbers are not shown on the stale-set race",
    );
    // The worker's next message finds the setup changed: the search stops there, and
    // says why with none of cdc's numbers (review 23, S5: it said "Cancelled.").
    await ex.waitStopped();
    const said = await ex.el('explore-progress').textContent();
    assert.match(said, /^Stopped: another scenario is open, so this search no longer matches the run\./);
    assert.doesNotMatch(said, /\d/, "none of cdc's numbers");
    assert.equal(await ex.el('explore-result').count(), 0);
    assert.equal(await ex.el('explore-start').isEnabled(), true, 'a search of this scenario can start');
    await ex.start();
    const r = await ex.result();
    assert.equal(r.complete, true);
    assert.deepEqual(r.counterexamples, [{ invariant: 'cache-matches-db', steps: 16 }]);
  });
});

test('a break says in how many end states it is known: every one of poison-event, 1 of the race\'s (V8)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'poison-event' });
    const ex = new ExplorePage(page);
    await ex.start();
    let r = await ex.result();
    assert.equal(r.complete, true);
    assert.equal(r.ends, 1);
    assert.match(r.text, /1 of them an end state/);
    assert.match(r.text, /Broken in every interleaving: every run ends in that one end state, which breaks cache-matches-db\./);
    assert.doesNotMatch(r.text, /some interleaving/);

    await sp.openScenario('stale-set-race');
    await ex.start();
    r = await ex.result();
    assert.ok(r.ends > 1);
    assert.match(r.text, new RegExp(`Of the ${r.ends.toLocaleString('en-US')} end states, 1 breaks cache-matches-db\\.`));
    assert.doesNotMatch(r.text, /every interleaving:/);
    // A complete search: a plain bar, no word of a bound (V7).
    assert.deepEqual(await ex.boundMark(), { words: 'none', bar: 'auto' });
  });
});

test('the teaching link names the scenario by its title, and the card reads apart from its button (V10)', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'cdc-invalidation' });
    const ex = new ExplorePage(page);
    await ex.start();
    await ex.result();
    assert.deepEqual(await ex.teaches(), ['stale-set-race']);
    assert.equal((await ex.el('explore-teaches').textContent()).trim(), 'The scenario that teaches it: The stale-set race.');
    const card = await ex.cardText('cache-matches-db');
    assert.doesNotMatch(card, /\.Play it/, card);
    assert.match(card, /\s+Play it as a branch$/, card);
    // The story's own crash is called the scenario's, not a fault the search placed (V9).
    assert.match(card, /This run includes the scenario's own crash of (service|invalidator)/, card);
    assert.doesNotMatch(card, /the search placed/, card);
  });
});

test('a counterexample plays as its own branch off the scenario\'s own run, which stays (V12)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race', fix: 'lease', step: 5 });
    const ex = new ExplorePage(page);
    await ex.setFaults(1);
    await ex.start();
    const r = await ex.result();
    assert.equal(r.counterexamples.length, 1);
    const steps = r.counterexamples[0].steps;
    // Since a client of a crashed service reads its connection reset (review 20b, F8), a
    // crash and restart of the service takes 13 steps, no fewer than a drop: the search
    // finds the drop first.
    assert.match(await ex.cardText('cache-matches-db'), /This run includes a fault the search placed: drop m8\./);
    await ex.play('cache-matches-db');
    assert.equal(await sp.step(), steps, 'the counterexample is shown at its end');
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
    let branches = await sp.branchTexts();
    assert.equal(branches.length, 2, JSON.stringify(branches));
    const [own, found] = branches;
    assert.deepEqual([own.id, own.status, own.current], ['0', 'ok', false], 'the scenario\'s own run stays, ok');
    assert.match(own.text, /the first run/);
    assert.equal(found.current, true);
    assert.equal(found.status, 'violated');
    // Named with the fault the search placed (review session 13, W12).
    assert.match(found.text, /search: the shortest break of cache-matches-db, with drop m8; from run 0 after step \d+/);
    assert.doesNotMatch(found.text, /the first run/);
    assert.match(found.text, new RegExp(`${steps} steps`));
    // The learner's own run comes back whole, and ends ok.
    await sp.switchBranch('0');
    await sp.runToEnd();
    assert.equal(await sp.invariant('cache-matches-db'), 'ok');
    // Played again: the same branch, not a third.
    await ex.play('cache-matches-db');
    branches = await sp.branchTexts();
    assert.equal(branches.length, 2);
    assert.equal(branches[1].current, true);
  });
});

test('played while a crash branch is shown: it still branches off the scenario\'s own run (V12)', async () => {
  await withPage(async (scenarioPage, page) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race', fix: 'lease' });
    await sp.runToEnd();
    const end = await sp.step();
    await sp.scrubTo(end - 5);
    await sp.injectFault('crash', 'cache');
    const crash = await sp.currentBranch();
    assert.notEqual(crash, '0');
    const ex = new ExplorePage(page);
    await ex.setFaults(1);
    await ex.start();
    await ex.result();
    await ex.play('cache-matches-db');
    const branches = await sp.branchTexts();
    assert.equal(branches.length, 3, JSON.stringify(branches));
    const shown = branches.find((b) => b.current);
    assert.ok(![ '0', crash ].includes(shown.id));
    assert.match(shown.text, /search: the shortest break of cache-matches-db, with drop m8; from run 0 after step/);
  });
});
