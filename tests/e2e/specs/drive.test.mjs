// Issue 4, end to end: drive a run by hand (choose the interleaving, inject faults),
// travel in time with branches, share the exact moment by link and by file, compare
// side by side, and the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';

const { withPage } = useApp();

// data-steps tells the run's length once the cursor has reached the end; a moment loaded
// from a link or file in the middle may or may not know it yet, so it is left out.
const withoutSteps = (snap) => ({
  ...snap,
  'step-counter': snap['step-counter'].map(({ 'data-steps': _, ...rest }) => rest),
});

/** Step forward until `pred()` holds (at most `max` steps). */
async function stepUntil(sp, pred, what, max = 100) {
  for (let i = 0; !(await pred()); i++) {
    assert.ok(i < max && (await sp.canStepForward()), `stepping forward reaches: ${what}`);
    await sp.stepForward();
  }
  return sp.step();
}

/** Step back until `pred()` holds. */
async function stepBackUntil(sp, pred, what) {
  while (!(await pred())) {
    assert.ok(await sp.canStepBack(), `stepping back reaches: ${what}`);
    await sp.stepBack();
  }
  return sp.step();
}

/** outbox: step until the relay has published an event, and crash it there. */
async function crashRelayAfterPublish(sp) {
  await stepUntil(sp, async () => (await sp.metric('events-published')) >= 1 && (await sp.hasFault('crash', 'relay')), 'the relay has published');
  return sp.injectFault('crash', 'relay');
}

// ---------------------------------------------------------------- stale-set-race by hand

// The writer's request flow, as the next-event texts name it ("m2 arrives at service
// from writer: write user:1", "… update user:1", "… committed v2", "… del user:1",
// "… deleted", "… ok user:1=v2").
const WRITER_FLOW = /write user:1|update user:1|committed v2|del user:1|deleted|ok user:1/;
// The database's answer to the reader's select: "m7 arrives at service from db: row v1".
const READ_REPLY = /row v1/;

/**
 * A hand-picked interleaving that breaks stale-set-race without following its script:
 *  1. start the writer first (the script starts the reader first);
 *  2. start the reader; then hold the writer's messages back and let the reader's
 *     request run until the database has answered it with "row v1";
 *  3. hold that answer back and let everything else run: the writer commits v2 and
 *     deletes the key;
 *  4. deliver "row v1" last: the reader's late set puts v1 in the cache.
 * Then step forward to the end. Returns how many clicks were not the scripted choice.
 */
async function breakStaleSetRaceByHand(sp) {
  let offScript = 0;
  const fire = async (ev) => {
    if (!ev.scripted) offScript++;
    const before = await sp.step();
    assert.equal(await sp.fireNextEvent(ev.index), before + 1, `firing "${ev.text}" takes one step`);
  };

  let events = await sp.nextEvents();
  const writerStart = events.find((e) => e.kind === 'start' && /writer starts/.test(e.text));
  assert.ok(writerStart, `the writer can start first: ${JSON.stringify(events)}`);
  assert.equal(writerStart.scripted, false, "starting the writer first is not the script's choice");
  await fire(writerStart);

  // Phase 2: the reader's flow, until the database's answer is on its way.
  for (let guard = 0; ; guard++) {
    assert.ok(guard < 50, 'the reader reaches the database');
    events = await sp.nextEvents();
    if (events.some((e) => READ_REPLY.test(e.text))) break;
    const pick = events.find((e) => !WRITER_FLOW.test(e.text)) ?? events[0];
    assert.ok(pick, 'something can happen');
    await fire(pick);
  }
  // Phase 3: everything but the read reply.
  for (let guard = 0; ; guard++) {
    assert.ok(guard < 50, 'the writer finishes');
    events = await sp.nextEvents();
    const pick = events.find((e) => !READ_REPLY.test(e.text));
    if (!pick) break;
    await fire(pick);
  }
  // Phase 4: the late answer, then the rest by step-forward.
  events = await sp.nextEvents();
  assert.equal(events.length, 1, `only the read reply is left: ${JSON.stringify(events)}`);
  await fire(events[0]);
  await sp.stepToEnd();
  return offScript;
}

test('stale-set-race: a hand-chosen interleaving off the script breaks cache-matches-db', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    const scripted = (await sp.nextEvents()).filter((e) => e.scripted);
    assert.equal(scripted.length, 1, 'exactly one next-event is marked as the script\'s choice');

    const offScript = await breakStaleSetRaceByHand(sp);
    assert.ok(offScript >= 1, `at least one choice was not the script's (${offScript})`);
    const end = await sp.step();
    assert.equal(await sp.steps(), end, 'the run has ended');
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
    const cache = await sp.cacheEntries();
    const db = await sp.dbRows();
    assert.ok(cache.some((c) => c.value === 'v1'), `the cache holds v1: ${JSON.stringify(cache)}`);
    assert.ok(db.some((r) => r.value === 'v2'), `the db holds v2: ${JSON.stringify(db)}`);

    const params = await sp.shareParams();
    assert.ok(params.run, `the share-link has run= (the run left the script): ${await sp.shareHref()}`);
    assert.equal(params.scenario, 'stale-set-race');
    assert.equal(Number(params.step), end);
    assert.equal((await sp.branches()).find((b) => b.current)?.status, 'violated', 'the branch shown is marked violated');
  });
});

// ---------------------------------------------------------------- outbox: crash the relay

test('outbox: the relay crashes after publishing, restarts, and every outbox row ends published', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'outbox' });
    // Step until the relay has published an event whose row it has not marked yet.
    await stepUntil(sp, async () => (await sp.metric('events-published')) >= 1 && (await sp.hasFault('crash', 'relay')), 'the relay has published');
    const rows = await sp.outboxRows();
    assert.ok(rows.some((r) => r.published === 'false'), `a row is still unpublished: ${JSON.stringify(rows)}`);
    assert.equal(await sp.nodeStatus('relay'), 'up');

    const at = await sp.step();
    assert.equal(await sp.injectFault('crash', 'relay'), at + 1, 'a fault is a step');
    assert.equal(await sp.nodeStatus('relay'), 'down', 'the crashed relay is down');
    assert.equal(await sp.hasFault('crash', 'relay'), false, 'a down relay cannot crash again');
    assert.ok(await sp.hasFault('restart', 'relay'), `restart relay is offered: ${JSON.stringify(await sp.faults())}`);
    assert.ok((await sp.outboxRows()).some((r) => r.published === 'false'), 'the outbox (in the db) keeps the row');

    assert.equal(await sp.injectFault('restart', 'relay'), at + 2);
    assert.equal(await sp.nodeStatus('relay'), 'up', 'the restarted relay is up');
    assert.ok((await sp.shareParams()).run, 'faults are choices: the share-link has run=');

    await sp.runToEnd();
    assert.equal(await sp.steps(), await sp.step(), 'the run has ended');
    const end = await sp.outboxRows();
    assert.ok(end.length > 0);
    for (const r of end) assert.equal(r.published, 'true', `outbox row ${r.eventId} ends published`);
    for (const [name, status] of Object.entries(await sp.invariants())) assert.equal(status, 'ok', `${name} at the end`);
    assert.ok((await sp.metric('events-published')) >= 2, 'the restarted relay published the row again');
  });
});

// ---------------------------------------------------------------- branches

test('branch, switch, and return: a different choice after stepping back keeps both runs', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    // Run 0: the script, to its end (the late set leaves v1 cached).
    const oldEnd = await sp.runToEnd();
    const oldAtEnd = await sp.snapshot();
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
    assert.deepEqual(await sp.branches(), [{ id: '0', status: 'violated', current: true }]);

    // Step back to where the writer's delete and the reader's "row v1" are both in flight.
    await stepBackUntil(
      sp,
      async () => {
        const evs = await sp.nextEvents();
        return evs.some((e) => /del user:1/.test(e.text)) && evs.some((e) => !e.scripted && READ_REPLY.test(e.text));
      },
      'the delete and "row v1" both in flight',
    );
    const forkAt = await sp.step();
    const oldAtFork = await sp.snapshot();
    const oldCacheAtFork = await sp.cacheEntries();

    // A different order: the answer, then the reader's set, overtake the delete.
    let events = await sp.nextEvents();
    const reply = events.find((e) => !e.scripted && READ_REPLY.test(e.text));
    assert.equal(await sp.fireNextEvent(reply.index), forkAt + 1);
    let branches = await sp.branches();
    assert.equal(branches.length, 2, `two branches: ${JSON.stringify(branches)}`);
    assert.equal(branches.filter((b) => b.current).length, 1, 'exactly one branch is current');
    const newId = branches.find((b) => b.current).id;
    assert.notEqual(newId, '0', 'the new branch is the current one');
    events = await sp.nextEvents();
    const set = events.find((e) => !e.scripted && /set user:1=v1/.test(e.text));
    assert.ok(set, `the reader's set can overtake the delete: ${JSON.stringify(events)}`);
    await sp.fireNextEvent(set.index);
    const newEnd = await sp.runToEnd();
    const newAtEnd = await sp.snapshot();
    const newCacheAtEnd = await sp.cacheEntries();
    assert.equal(await sp.invariant('cache-matches-db'), 'ok', 'the delete came last: nothing stale is cached');
    assert.deepEqual(newCacheAtEnd, []);
    branches = await sp.branches();
    assert.deepEqual(
      branches.map((b) => [b.id, b.status, b.current]).sort(),
      [['0', 'violated', false], [newId, 'ok', true]].sort(),
      'each branch is marked with its outcome',
    );

    // Back to run 0: where it was left (the fork), and its own end after it.
    assert.equal(await sp.switchBranch('0'), forkAt, 'the old branch comes back at its cursor');
    assert.equal(await sp.currentBranch(), '0');
    assert.deepEqual(await sp.cacheEntries(), oldCacheAtFork, 'the old cache entries');
    assert.deepEqual(await sp.snapshot(), oldAtFork, "the old branch's whole state");
    assert.equal(await sp.runToEnd(), oldEnd);
    assert.deepEqual(await sp.snapshot(), oldAtEnd, 'the old branch still ends with v1 cached');
    assert.equal((await sp.branches()).length, 2, 'nothing is thrown away');

    // And return to the new one.
    assert.equal(await sp.switchBranch(newId), newEnd);
    assert.equal(await sp.currentBranch(), newId);
    assert.deepEqual(await sp.cacheEntries(), newCacheAtEnd);
    assert.deepEqual(await sp.snapshot(), newAtEnd, "the new branch's whole state");
  });
});

// ---------------------------------------------------------------- share-link

test('a shared link opens on the same state in a fresh page', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await breakStaleSetRaceByHand(sp);
    const end = await sp.step();
    // The moments: the end of the broken run, one in the middle, and step 0.
    const moments = [];
    for (const at of [end, Math.floor(end / 2), 0]) {
      if (at !== (await sp.step())) await sp.scrubTo(at);
      assert.equal(await sp.step(), at);
      moments.push({ at, href: await sp.shareHref(), snap: withoutSteps(await sp.snapshot()) });
    }
    assert.ok(moments[0].href.includes('run='), 'the broken run is in the link');

    // Also a run with a fault in it, at step 30: outbox, the relay crashed.
    await sp.goto({ scenario: 'outbox' });
    await crashRelayAfterPublish(sp);
    await stepUntil(sp, async () => (await sp.step()) === 30, 'step 30');
    const href30 = await sp.shareHref();
    assert.ok(href30.includes('run='), `the crash is in the link: ${href30}`);
    assert.ok(href30.length < 300, `a link to a 30-step run stays under 300 characters (${href30.length}): ${href30}`);
    moments.push({ at: 30, href: href30, snap: withoutSteps(await sp.snapshot()) });

    await withPage(async (fresh) => {
      const other = DrivePage.from(fresh);
      for (const m of moments) {
        await other.gotoHref(m.href);
        assert.equal(await other.loadError(), null, `${m.href}: no load-error`);
        assert.equal(await other.step(), m.at, `${m.href}: data-step`);
        const snap = withoutSteps(await other.snapshot());
        for (const k of ['node', 'in-flight', 'cache-entry', 'db-row', 'invariant', 'metric', 'step-counter']) {
          assert.deepEqual(snap[k], m.snap[k], `${m.href}: ${k}`);
        }
        assert.deepEqual(snap, m.snap, `${m.href}: the whole state`);
        assert.equal(await other.shareHref(), m.href, 'the link shows itself');
      }
    });
  });
});

/** The address bar's query, once it has become the share link's (the page writes it
 *  after the step is drawn). */
async function addressFollows(sp) {
  const want = new URL(await sp.shareHref()).search;
  await sp.page.waitForFunction((q) => location.search === q, want);
  return want;
}

test('the address bar follows the moment shown: a reload keeps it, Back returns to it', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await sp.stepForwardTimes(2);
    const other = (await sp.nextEvents()).find((e) => !e.scripted);
    await sp.fireNextEvent(other.index);
    await sp.stepForwardTimes(2);
    assert.equal(await sp.step(), 5);
    const here = await addressFollows(sp);
    assert.match(here, /[?&]step=5(&|$)/, here);
    assert.match(here, /[?&]run=/, `the choice off the script is in the address: ${here}`);
    const snap = withoutSteps(await sp.snapshot());

    // A reload opens the same moment: stepping made no history entries.
    const entries = await sp.page.evaluate(() => history.length);
    await sp.page.reload();
    await sp.waitReady();
    assert.equal(await sp.step(), 5);
    assert.deepEqual(withoutSteps(await sp.snapshot()), snap, 'the same state after a reload');
    assert.equal(await sp.page.evaluate(() => history.length), entries, 'no entry per step');

    // Another scenario is a new entry; Back returns to this moment.
    await sp.openScenario('outbox');
    await sp.stepForwardTimes(3);
    assert.match(await addressFollows(sp), /scenario=outbox.*step=3/);
    await sp.page.goBack();
    await sp.page.locator('[data-testid="scenario-title"][data-scenario="stale-set-race"]').waitFor({ state: 'attached' });
    await sp.waitReady();
    assert.equal(await sp.step(), 5, 'Back returns to the moment the scenario was left at');
    assert.equal(await addressFollows(sp), here);
  });
});

// ---------------------------------------------------------------- export / import

/** A run off the script, with a fix on, at a middle step: a non-trivial moment. */
async function someRun(sp) {
  await sp.goto({ scenario: 'stale-set-race', fix: 'lease' });
  await sp.stepForwardTimes(2);
  const other = (await sp.nextEvents()).find((e) => !e.scripted);
  await sp.fireNextEvent(other.index);
  await sp.stepForwardTimes(3);
  assert.equal(await sp.step(), 6);
  assert.ok((await sp.shareParams()).run, 'the run left the script');
}

test('a broken run file shows import-error and keeps the run', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await someRun(sp);
    const good = JSON.parse((await sp.exportRun()).text);
    const before = await sp.snapshot();
    const href = await sp.shareHref();
    const branches = await sp.branches();

    const impossible = { ...good, choices: [...good.choices.slice(0, 2), 'deliver m99', ...good.choices.slice(2)] };
    const broken = [
      { name: 'not-json.json', text: 'this is not JSON {', expect: /line 1, column 1\b.*expected a JSON object/i },
      { name: 'truncated.json', text: JSON.stringify(good).slice(0, 40), expect: /line 1, column \d+.*not valid JSON/i },
      { name: 'wrong-version.json', text: JSON.stringify({ ...good, version: 99 }), expect: /version.*99/i },
      { name: 'other-format.json', text: JSON.stringify({ ...good, format: 'something-else' }), expect: /format|version/i },
      { name: 'no-scenario.json', text: JSON.stringify({ ...good, scenario: 'nope' }), expect: /scenario/i },
      { name: 'impossible-choice.json', text: JSON.stringify(impossible), expect: /choice 3.*step 3|step 3.*choice 3/i },
      { name: 'cursor-past-end.json', text: JSON.stringify({ ...good, cursor: 400 }), expect: /cursor/i },
    ];
    for (const file of broken) {
      const msg = await sp.importBadFile(file);
      // The message starts with the file's name; what follows says what is wrong, and where.
      const detail = msg.slice(msg.indexOf(file.name) + file.name.length);
      assert.match(detail, file.expect, `${file.name}: the message says what is wrong: ${msg}`);
      assert.equal(await sp.step(), 6, `${file.name}: data-step is kept`);
      assert.deepEqual(await sp.snapshot(), before, `${file.name}: the run on screen is unchanged`);
      assert.equal(await sp.shareHref(), href, `${file.name}: the link is unchanged`);
      assert.deepEqual(await sp.branches(), branches, `${file.name}: the branches are unchanged`);
    }
    // The page is still usable.
    assert.equal(await sp.stepForward(), 7);
  });
});

test('export then import gives the same state', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await someRun(sp);
    const exported = await sp.exportRun();
    assert.match(exported.name, /\.json$/, 'export-run downloads a .json file');
    const spec = JSON.parse(exported.text);
    assert.equal(spec.scenario, 'stale-set-race');
    assert.deepEqual(spec.fixes, ['lease']);
    assert.equal(spec.cursor, 6);
    const before = withoutSteps(await sp.snapshot());
    const href = await sp.shareHref();

    // Somewhere else first, so the import has something to change.
    await sp.goto({ scenario: 'cache-aside-read' });
    await sp.importGoodFile(exported, { scenario: 'stale-set-race', step: 6 });
    assert.equal(await sp.importError(), null, 'no import-error');
    assert.equal(await sp.fixOn('lease'), true, 'the fix comes back');
    assert.deepEqual(withoutSteps(await sp.snapshot()), before, 'the same state');
    assert.equal(await sp.shareHref(), href, 'the same link');

    // And a run with faults (the relay crashed and restarted), at its end.
    await sp.goto({ scenario: 'outbox' });
    await crashRelayAfterPublish(sp);
    await sp.stepForward();
    await sp.injectFault('restart', 'relay');
    const end = await sp.runToEnd();
    const withFaults = await sp.exportRun();
    const atEnd = await sp.snapshot();
    await sp.goto({ scenario: 'stale-set-race' });
    await sp.importGoodFile(withFaults, { scenario: 'outbox', step: end });
    assert.deepEqual(await sp.snapshot(), atEnd, 'the same state after the faults');
  });
});

// ---------------------------------------------------------------- side by side

test('side by side: stale-set-race with lease on the right differs, from a first step', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await sp.runToEnd();
    await sp.openSideBySide();
    await sp.setRightColumn([/lease/i]);
    const right = await sp.rightColumnFixes();
    assert.deepEqual(
      right.filter((f) => f.on).map((f) => f.label),
      right.filter((f) => /lease/i.test(f.label)).map((f) => f.label),
      `only the lease is on in the right column: ${JSON.stringify(right)}`,
    );
    const first = await sp.compareFirstDifference();
    assert.ok(Number.isInteger(first) && first >= 1, `compare-first-difference has a data-step (${first})`);
    const rows = await sp.compareRows();
    assert.ok(rows.length > 0, 'compare rows are shown');
    assert.ok(rows.some((r) => r.differs), 'at least one row differs');
    assert.equal(rows.find((r) => r.differs)?.step, first, 'the first differing row is the first difference');
    assert.ok(rows.filter((r) => r.step < first).every((r) => !r.differs), 'no row before it differs');
    // The left column is the run shown: the page itself is unchanged by the comparison.
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
  });
});

// ---------------------------------------------------------------- the diagram follows

test('pointing at a next event lights its message; only messages new this step glide in', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    // Both clients start, one step each: each step's new request glides in, the one
    // already on screen does not move again.
    await sp.stepForward();
    const [m1] = (await sp.inFlight()).map((m) => m.message);
    assert.deepEqual(await sp.glidingMessages(), [m1], 'the first request glides in');
    await sp.stepForward();
    const before = (await sp.inFlight()).map((m) => m.message);
    assert.equal(before.length, 2, `two messages in flight: ${before}`);
    assert.deepEqual(await sp.glidingMessages(), before.filter((id) => id !== m1), 'only the second glides');
    const [first, second] = before;
    await sp.pointAt(first, 'hover');
    assert.deepEqual(await sp.litMessages(), [first], 'hover lights the message');
    // The pointer leaves first: focusing the list beside the narration may scroll it
    // from under a pointer left on it, which then leaves the list too.
    await sp.page.mouse.move(0, 0);
    await sp.pointAt(second, 'focus');
    assert.deepEqual(await sp.litMessages(), [second], 'focus lights the message');
    // Pointing only moves the highlight: the diagram is not redrawn, so the message
    // new at this step keeps its glide and no other gets one.
    assert.deepEqual(await sp.glidingMessages(), before.filter((id) => id !== m1), 'pointing does not redraw');
    await sp.pointAway();
    assert.deepEqual(await sp.litMessages(), [], 'nothing lit once pointer and focus leave');
    // One step: the messages still in flight stay put; only the new one glides.
    await sp.stepForward();
    const after = (await sp.inFlight()).map((m) => m.message);
    const fresh = after.filter((id) => !before.includes(id));
    assert.deepEqual((await sp.glidingMessages()).sort(), fresh.sort(), `only new messages glide (${after})`);
    // Firing from the keyboard puts the focus back in the list, which lights the
    // focused entry's message: that must not redraw away the glide of the new ones.
    await sp.focusNextEvent(0);
    const beforeFire = (await sp.inFlight()).map((m) => m.message);
    await sp.pressFocused('Enter');
    const afterFire = (await sp.inFlight()).map((m) => m.message);
    const born = afterFire.filter((id) => !beforeFire.includes(id));
    assert.ok(born.length > 0, `the fired event sent a message (${beforeFire} -> ${afterFire})`);
    assert.equal(await sp.focusedTestId(), 'next-event');
    assert.deepEqual((await sp.glidingMessages()).sort(), born.sort(), 'the new messages still glide');
  });
});

// ---------------------------------------------------------------- keyboard

test('keyboard: firing a next event or going back in the log keeps the focus in its list', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await sp.focusNextEvent(0);
    assert.equal(await sp.pressFocused('Enter'), 1, 'Enter on a next event fires it');
    assert.equal(await sp.focusedTestId(), 'next-event', 'the focus stays on a next-event button');
    assert.equal(await sp.pressFocused('Enter'), 2, 'Enter again fires the next one');
    assert.equal(await sp.focusedTestId(), 'next-event');
    await sp.focusLogEntry(0);
    assert.equal(await sp.pressFocused('Enter'), 1, 'Enter on the first log entry goes back to step 1');
    assert.equal(await sp.focusedTestId(), 'log-entry', 'the focus stays in the event log');
  });
});

test('keyboard: space toggles play, r resets, e runs to the end, arrows step', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await sp.blur();
    assert.equal(await sp.playing(), false);
    await sp.press(' ');
    assert.equal(await sp.playing(), true, 'space starts playback (play-pause aria-pressed=true)');
    const moved = await sp.waitStepNot(0);
    assert.ok(moved > 0, 'playback steps forward');
    await sp.press(' ');
    assert.equal(await sp.playing(), false, 'space pauses (aria-pressed=false)');

    assert.equal(await sp.press('r'), 0, 'r resets to step 0');
    assert.equal(await sp.playing(), false);
    assert.equal(await sp.press('ArrowRight'), 1);
    assert.equal(await sp.press('ArrowLeft'), 0);
    const end = await sp.press('e');
    assert.ok(end > 0 && (await sp.steps()) === end, 'e runs to the end');
    assert.equal(await sp.press('r'), 0, 'r resets from the end');
    assert.equal(await sp.canStepBack(), false);
  });
});

// ---------------------------------------------------------------- bad run= links

for (const [run, names] of [
  ['zz', /version|1\./i],
  ['2.AAA', /version/i],
  ['1.AAAA_', /character 7/i],
  ['1.AAf', /choice 3.*step 3/i],
]) {
  test(`?run=${run} shows load-error naming run and the value, and keeps the scenario usable`, async () => {
    await withPage(async (scenarioPage) => {
      const sp = DrivePage.from(scenarioPage);
      await sp.goto({ scenario: 'stale-set-race', run, step: 3 });
      const err = await sp.loadError();
      assert.ok(err, 'load-error is shown');
      assert.ok(err.includes('run') && err.includes(run), `load-error names run and ${run}: ${err}`);
      assert.match(err, names, `load-error says what is wrong and where: ${err}`);
      assert.equal(await sp.scenarioId(), 'stale-set-race');
      assert.equal(await sp.step(), 3, 'the step is kept, on the scenario\'s own order');
      assert.equal((await sp.shareParams()).run, undefined, 'the bad run is not in the share-link');
      // The same state as the scenario's own order at step 3.
      const snap = await sp.snapshot();
      await sp.goto({ scenario: 'stale-set-race', step: 3 });
      assert.deepEqual(await sp.snapshot(), snap);
      const end = await sp.runToEnd();
      assert.equal(await sp.steps(), end, 'still usable');
    });
  });
}

// ---------------------------------------------------------------- sandbox

test('sandbox: build one, drive it by hand, and share it', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await sp.buildSandbox();
    assert.equal(await sp.scenarioId(), 'sandbox');
    assert.equal(await sp.step(), 0);
    assert.ok((await sp.nodeIds()).length > 0, 'the sandbox has nodes');
    // Drive it: an off-script choice wherever one exists, for a few steps.
    for (let i = 0; i < 8 && (await sp.canStepForward()); i++) {
      const events = await sp.nextEvents();
      const pick = events.find((e) => !e.scripted) ?? events[0];
      await sp.fireNextEvent(pick.index);
    }
    const href = await sp.shareHref();
    const snap = withoutSteps(await sp.snapshot());
    const at = await sp.step();
    await withPage(async (fresh) => {
      const other = DrivePage.from(fresh);
      await other.gotoHref(href);
      assert.equal(await other.loadError(), null);
      assert.equal(await other.scenarioId(), 'sandbox');
      assert.equal(await other.step(), at);
      assert.deepEqual(withoutSteps(await other.snapshot()), snap, `${href}: the same state`);
    });
  });
});
