// Issue 8 item 5, end to end: a scenario is a file a learner can save, change and open;
// a bad file is refused with the line and the field, the run on screen kept; a scenario
// opened from a file travels in its link to a fresh page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { ScenarioFilePage } from '../pages/ScenarioFilePage.mjs';

const { withPage } = useApp();

// A moment loaded from a link may not know the run's length yet (data-steps).
const withoutSteps = (snap) => ({
  ...snap,
  'step-counter': snap['step-counter'].map(({ 'data-steps': _, ...rest }) => rest),
});

/** The exported stale-set-race with the reader's slow reply set to `ms`. */
function withSlowReply(text, ms) {
  const file = JSON.parse(text);
  const slow = file.settings.clients.reader[0].slow;
  assert.deepEqual(slow, ['db-read-reply', 10], 'the exported file has the slow reply of the story');
  slow[1] = ms;
  return JSON.stringify(file, null, 2);
}

test('export stale-set-race as a scenario file, change its slow reply, open it, see the changed run', async () => {
  await withPage(async (sp0) => {
    const sp = ScenarioFilePage.from(sp0);
    await sp.goto({ scenario: 'stale-set-race' });
    const exported = await sp.exportScenario();
    assert.equal(exported.name, 'stale-set-race.json');
    assert.match(exported.text, /"format": "cachescope-scenario"/);
    await sp.runToEnd();
    const [before] = await sp.cacheEntries();
    assert.equal(before.value, 'v1', 'the story: the stale v1 stays in the cache');

    await sp.openScenarioFile({ name: 'slower.json', text: withSlowReply(exported.text, 40) }, 'stale-set-race');
    assert.equal(await sp.step(), 0);
    await sp.runToEnd();
    const [after] = await sp.cacheEntries();
    assert.equal(after.value, 'v1');
    assert.equal(Number(after.expiresAt), Number(before.expiresAt) + 30, 'the stale set lands 30 ms later');
    await sp.screenshot('/tmp/e2e-scenario-file-opened.png');
  });
});

test('a broken scenario file shows scenario-error naming the line and the field; the run is kept', async () => {
  await withPage(async (sp0) => {
    const sp = ScenarioFilePage.from(sp0);
    await sp.goto({ scenario: 'stale-set-race', step: 5 });
    const shown = await sp.snapshot();
    const exported = await sp.exportScenario();
    const broken = exported.text.replace('"db-read-reply"', '"db-reply"');
    const line = broken.slice(0, broken.indexOf('"db-reply"')).split('\n').length;
    const message = await sp.openBadScenarioFile({ name: 'broken.json', text: broken });
    assert.match(message, new RegExp(`line ${line}, column \\d+`), message);
    assert.match(message, /settings\.clients\.reader\[0\]\.slow/, message);
    assert.match(message, /unchanged/);
    assert.deepEqual(await sp.snapshot(), shown, 'the scenario on screen is kept');
    await sp.screenshot('/tmp/e2e-scenario-error.png');

    const notJson = await sp.openBadScenarioFile({ name: 'notes.json', text: '{ "format": "cachescope-scenario",\n  "version": 1,\n  oops }' });
    assert.match(notJson, /line 3, column \d+/, notJson);
    assert.deepEqual(await sp.snapshot(), shown);
  });
});

test("a custom scenario's link opens in a fresh page at the same moment", async () => {
  let href;
  let shown;
  await withPage(async (sp0) => {
    const sp = ScenarioFilePage.from(sp0);
    await sp.goto({ scenario: 'stale-set-race' });
    const exported = await sp.exportScenario();
    await sp.openScenarioFile({ name: 'slower.json', text: withSlowReply(exported.text, 40) }, 'stale-set-race');
    await sp.stepForwardTimes(12);
    href = await sp.shareHref();
    assert.match(href, /[?&]s=1\./, href);
    shown = withoutSteps(await sp.snapshot());
  });
  await withPage(async (sp0) => {
    const sp = ScenarioFilePage.from(sp0);
    await sp.gotoHref(href);
    assert.equal(await sp.scenarioId(), 'stale-set-race');
    assert.equal(await sp.step(), 12);
    assert.equal(await sp.loadError(), null);
    assert.deepEqual(withoutSteps(await sp.snapshot()), shown);
    await sp.screenshot('/tmp/e2e-scenario-link.png');
  });
});
