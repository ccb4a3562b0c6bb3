// Bad URLs show load-error naming the parameter and value, and the page stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';

const { withPage } = useApp();

async function assertUsable(sp) {
  const before = await sp.step();
  if (await sp.canStepForward()) {
    assert.equal(await sp.stepForward(), before + 1, 'step-forward still works');
    assert.equal(await sp.stepBack(), before, 'step-back still works');
    await sp.stepForward();
  } else {
    assert.equal(await sp.stepBack(), before - 1, 'step-back still works');
  }
  assert.equal(await sp.reset(), 0, 'reset still works');
  const end = await sp.runToEnd();
  assert.ok(end > 0, 'run-to-end still works');
  assert.equal(await sp.steps(), end, 'the run has ended');
}

function assertNames(text, param, value) {
  assert.ok(text !== null, 'load-error is shown');
  const lower = text.toLowerCase();
  assert.ok(lower.includes(param), `load-error names the parameter "${param}": ${JSON.stringify(text)}`);
  assert.ok(lower.includes(value.toLowerCase()), `load-error names the value "${value}": ${JSON.stringify(text)}`);
}

test('?scenario=nope shows load-error and loads cache-aside-read', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: 'nope' });
    assertNames(await sp.loadError(), 'scenario', 'nope');
    assert.equal(await sp.scenarioId(), 'cache-aside-read');
    assert.equal(await sp.step(), 0);
    await assertUsable(sp);
    // A good URL afterwards shows no error.
    await sp.goto({ scenario: 'cache-aside-read' });
    assert.equal(await sp.loadError(), null);
  });
});

for (const bad of ['abc', '-1']) {
  test(`?step=${bad} shows load-error and loads the scenario`, async () => {
    await withPage(async (sp) => {
      await sp.goto({ scenario: 'stale-set-race', step: bad });
      assertNames(await sp.loadError(), 'step', bad);
      assert.equal(await sp.scenarioId(), 'stale-set-race');
      assert.equal(await sp.step(), 0);
      await assertUsable(sp);
    });
  });
}

test('a step past the end shows load-error and loads the last valid step', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: 'stale-set-race', step: 9999 });
    assertNames(await sp.loadError(), 'step', '9999');
    assert.equal(await sp.scenarioId(), 'stale-set-race');
    const step = await sp.step();
    assert.ok(step > 0, 'the last valid step is loaded');
    assert.equal(await sp.steps(), step, 'which is the end of the run');
    await assertUsable(sp);
  });
});

test('a fix the scenario does not have shows load-error', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: 'stale-set-race', fix: 'bogus-fix' });
    assertNames(await sp.loadError(), 'fix', 'bogus-fix');
    assert.equal(await sp.scenarioId(), 'stale-set-race');
    for (const f of await sp.fixes()) assert.equal(await sp.fixOn(f), false, `${f} stays off`);
    await assertUsable(sp);
  });
});
