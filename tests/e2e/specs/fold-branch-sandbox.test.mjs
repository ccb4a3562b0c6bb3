// Issue 11's last points, on the release build: long stretches of cache hits are one
// row of the event log and of the sequence diagram (the step controls still move one
// step); the sequence diagram fits its column; a note stays on its branch; and the
// sandbox says when it does not use what was typed, and offers the event fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { TeachPage } from '../pages/TeachPage.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';
import { ScreenPage } from '../pages/ScreenPage.mjs';

const { withPage } = useApp();

test('a stretch of cache hits is one entry of the log and one row of the sequence, and Step still moves one step', async () => {
  await withPage(async (sp) => {
    const tp = new TeachPage(sp);
    await sp.goto({ scenario: 'stampede' });
    await sp.runToEnd();
    const end = await sp.step();
    const [fold] = await tp.folds('log-fold');
    assert.ok(fold, 'the stampede opens with cache hits: they fold');
    assert.equal(fold.first, 1);
    assert.ok(fold.last >= fold.first + 5 && fold.hits >= 2, JSON.stringify(fold));
    assert.equal(fold.expanded, false);
    assert.match(fold.text, new RegExp(`×${fold.hits} cache hits, steps 1–${fold.last}`));
    // Its steps have no entries while it is folded; every other step has one.
    let steps = await tp.logSteps();
    assert.equal(steps.length, end - (fold.last - fold.first + 1));
    assert.ok(steps.every((s) => s > fold.last));
    // Shown, then folded again.
    await tp.toggleLogFold(1);
    steps = await tp.logSteps();
    assert.deepEqual(steps, Array.from({ length: end }, (_, i) => i + 1));
    assert.equal((await tp.folds('log-fold'))[0].expanded, true);
    await tp.toggleLogFold(1);
    assert.equal((await tp.logSteps()).length, end - (fold.last - fold.first + 1));

    // The same stretch in the sequence diagram.
    await tp.showSequence();
    const [row] = await tp.folds('seq-fold');
    assert.deepEqual([row.first, row.last, row.hits, row.expanded], [fold.first, fold.last, fold.hits, false]);
    const rows = await tp.seqSteps();
    assert.ok(rows.every((s) => s === 0 || s > fold.last), 'the folded steps have no rows');
    await tp.toggleSeqFold(1);
    assert.equal((await tp.seqSteps()).length, end + 1);

    // Folding changes nothing of the run: from the start, Step moves one step, and the
    // step shown inside the stretch is a row of its own.
    await sp.reset();
    for (let n = 1; n <= 3; n += 1) {
      await sp.stepForward();
      assert.equal(await sp.step(), n);
      assert.deepEqual(await tp.seqCurrentRows(), [n]);
    }
    assert.equal(await sp.steps(), end, 'data-steps is the whole run');
  });
});

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`at ${viewport.width}x${viewport.height} the sequence diagram fits its column and the page does not scroll sideways`, async () => {
    await withPage(async (scenarioPage) => {
      const sp = ScreenPage.from(scenarioPage);
      const tp = new TeachPage(sp);
      await sp.goto({ scenario: 'stale-set-race', step: 9 });
      await tp.showSequence();
      // The picture is laid out for its box once the box is measured (`data-fit`).
      await tp.el('sequence').and(sp.page.locator('[data-fit]')).waitFor({ state: 'attached' });
      const fit = await tp.seqFit();
      if (viewport.width < 600) {
        assert.ok(fit.svgWidth > fit.boxWidth, 'on a phone the drawing keeps a readable width');
        assert.ok(fit.scrollWidth > fit.boxWidth, 'and its own box scrolls sideways');
      }
      assert.ok(fit.right <= viewport.width + 0.5, `the box ends inside the window: ${JSON.stringify(fit)}`);
      if (viewport.width >= 1280) {
        assert.ok(fit.svgWidth <= fit.boxWidth + 1, `the picture fits its box: ${JSON.stringify(fit)}`);
      }
      assert.ok(fit.fontPx >= 11, `the text stays readable: ${fit.fontPx}px`);
      assert.ok((await sp.scrollWidth()) <= viewport.width, `page scrollWidth ${await sp.scrollWidth()}`);
      assert.deepEqual(await tp.seqCurrentRows(), [9]);
      await sp.stepForward();
      assert.deepEqual(await tp.seqCurrentRows(), [10], 'it still marks the current step');
    }, { viewport });
  });
}

test('a note stays on its branch: another choice at an earlier step does not show it', async () => {
  await withPage(async (sp) => {
    const tp = new TeachPage(sp);
    const dp = DrivePage.from(sp);
    await sp.goto({ scenario: 'stale-set-race', step: 5 });
    await tp.addNote('the first branch');
    assert.equal(await tp.noteText(), 'the first branch');
    // Back to step 3 and something else happens there.
    await sp.stepBack();
    await sp.stepBack();
    assert.equal(await sp.step(), 3);
    const other = (await dp.nextEvents()).find((e) => !e.scripted);
    assert.ok(other, 'another event can happen at step 3');
    await dp.fireNextEvent(other.index);
    assert.equal((await dp.branches()).length, 2, 'a new branch');
    await sp.stepForward();
    assert.equal(await sp.step(), 5);
    assert.equal(await tp.noteText(), null, "the other branch's note is not on this step 5");
    assert.ok(!new URL(await tp.shareHref()).searchParams.getAll('note').length, 'nor in its link');
    // Back on the first branch, the note is there again.
    const first = (await dp.branches()).find((b) => !b.current);
    await dp.switchBranch(first.id);
    while ((await sp.step()) > 5) await sp.stepBack();
    while ((await sp.step()) < 5) await sp.stepForward();
    assert.equal(await tp.noteText(), 'the first branch');
  });
});

test('the sandbox says when it does not use what was typed, and offers the event fixes', async () => {
  await withPage(async (sp) => {
    const dp = DrivePage.from(sp);
    await sp.goto({ scenario: 'stale-set-race' });
    await dp.openSandbox();
    assert.equal(await dp.setSandboxField('readers', 99), '4');
    assert.equal(await dp.sandboxFieldNote('readers'), '99 readers: the sandbox takes at most 4, so it uses 4.');
    assert.equal(await dp.setSandboxField('readers', 2), '2');
    assert.equal(await dp.sandboxFieldNote('readers'), null, 'a value it uses needs no word');
    assert.equal(await dp.setSandboxField('keys', 0), '1');
    assert.match(await dp.sandboxFieldNote('keys'), /at least 1/);
    assert.equal(await dp.setSandboxField('ttl', 500000), '100000');
    assert.match(await dp.sandboxFieldNote('ttl'), /at most 100000 ms/);
    await dp.setSandboxPattern('event-invalidation');
    await dp.el('sandbox-build').click();
    await dp.waitScenario('sandbox');
    const fixes = await sp.fixes();
    for (const id of ['durable-bus', 'idempotent-consumer', 'versioned-events']) {
      assert.ok(fixes.includes(id), `${id} in ${fixes}`);
    }
    assert.ok(!fixes.includes('retry-dlq'));
    await sp.toggleFix('durable-bus');
    assert.equal(await sp.fixOn('durable-bus'), true);
    const nodes = (await sp.nodes()).map((n) => n.node);
    assert.ok(nodes.includes('reader-2') && !nodes.includes('reader-3'), `two readers were built: ${nodes}`);
  });
});
