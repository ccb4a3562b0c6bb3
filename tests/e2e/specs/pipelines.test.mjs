// The diagram of a topology with more than one primary, relay and consumer (issue 8,
// Deliver 2): docs/scenarios.md's worked example, its fix's topology in its settings
// (db-2 owning user:2, relay-2 reading db-2's outbox onto the bus, consumer-2
// deleting in cache-2). Every node is drawn once, no two boxes overlap, everything is
// on one screen at 1280x720, and a phone does not scroll sideways. Screenshots go to
// a temporary folder (logged).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, REPO_ROOT, tmpPath } from '../lib/harness.mjs';
import { ScreenPage } from '../pages/ScreenPage.mjs';
import { ScenarioFilePage } from '../pages/ScenarioFilePage.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';

const { withPage } = useApp();

/** The worked example's JSON block, with its fix's topology as its own. */
function twoShards() {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/scenarios.md'), 'utf8');
  const at = doc.indexOf('"id": "second-shard-unsubscribed-pool"');
  const start = doc.lastIndexOf('```json\n', at) + '```json\n'.length;
  const file = JSON.parse(doc.slice(start, doc.indexOf('```', start)));
  file.id = 'two-shards';
  file.settings.topology = file.fixes[0].changes.topology;
  file.fixes = [];
  return { name: 'two-shards.json', text: JSON.stringify(file, null, 2) };
}

/** Every node's box in page pixels. */
async function boxes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('figure.diagram [data-testid="node"]')].map((n) => {
      const r = (n.querySelector('rect') ?? n).getBoundingClientRect();
      return { id: n.getAttribute('data-node'), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }),
  );
}

const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
]) {
  test(`two primaries, two relays, two consumers are laid out at ${viewport.width}x${viewport.height}`, async (t) => {
    await withPage(async (scenarioPage, page) => {
      const sp = ScreenPage.from(scenarioPage);
      const fp = ScenarioFilePage.from(scenarioPage);
      await sp.goto({ scenario: 'dual-write-crash' });
      await fp.openScenarioFile(twoShards(), 'two-shards');
      const s = new URL(page.url()).searchParams.get('s');
      const total = await sp.steps();
      await sp.goto({ scenario: 'two-shards', step: total, s });
      const b = await boxes(page);
      const ids = b.map((n) => n.id).sort();
      for (const id of ['db', 'db-2', 'relay-2', 'bus', 'consumer', 'consumer-2', 'cache', 'cache-2', 'service-2']) {
        assert.equal(ids.filter((x) => x === id).length, 1, `${id} drawn once in ${ids.join(', ')}`);
      }
      for (let i = 0; i < b.length; i++) {
        for (let j = i + 1; j < b.length; j++) {
          assert.ok(!overlap(b[i], b[j]), `${b[i].id} and ${b[j].id} overlap`);
        }
      }
      if (viewport.width >= 1280) {
        for (const id of ['narration', 'node', 'invariant', 'step-forward']) {
          assert.deepEqual(await sp.outsideViewport(id), [], `${id} is on screen`);
        }
      } else {
        assert.ok((await sp.scrollWidth()) <= viewport.width, `scrollWidth ${await sp.scrollWidth()}`);
      }
      assert.equal(await sp.invariant('cache-matches-db'), 'ok');
      const shot = tmpPath(`two-shards-${viewport.width}x${viewport.height}.png`);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: shot, animations: 'disabled' });
      t.diagnostic(`screenshot: ${shot}`);
    }, { viewport });
  });
}

/** Steps forward until the narration starts with `start` (at most `max` steps). */
async function stepUntil(sp, start, max = 80) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const said = await sp.narration();
    if (said.includes(start)) return;
    seen.push(said);
    if (!(await sp.canStepForward())) break;
    await sp.stepForward();
  }
  assert.fail(`no step narrated "${start}…" in:\n${seen.join('\n')}`);
}

// The second shard's nodes show their own state, like the first's: db-2's box its rows
// and its unpublished outbox row, the database panel db-2's rows (`data-db="db-2"`),
// consumer-2's box the event it is handling. Light and dark screenshots at both steps.
for (const viewport of [
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
]) {
  test(`db-2's rows and consumer-2's event are shown at ${viewport.width}x${viewport.height}`, async (t) => {
    await withPage(async (scenarioPage, page) => {
      const sp = ScreenPage.from(scenarioPage);
      const fp = ScenarioFilePage.from(scenarioPage);
      await sp.goto({ scenario: 'dual-write-crash' });
      await fp.openScenarioFile(twoShards(), 'two-shards');
      const shots = async (name) => {
        for (const theme of ['light', 'dark']) {
          assert.equal(await sp.setTheme(theme), theme);
          const shot = tmpPath(`two-shards-${name}-${viewport.width}-${theme}.png`);
          await page.mouse.move(0, 0);
          await page.locator('figure.diagram').scrollIntoViewIfNeeded();
          await page.screenshot({ path: shot, animations: 'disabled' });
          t.diagnostic(`screenshot: ${shot}`);
          // The database panel, with db-2's rows.
          const panel = tmpPath(`two-shards-${name}-${viewport.width}-${theme}-db.png`);
          const table = page.locator('[data-testid="db-row"]').first().locator('xpath=ancestor::*[h2][1]');
          await table.screenshot({ path: panel, animations: 'disabled' });
          t.diagnostic(`screenshot: ${panel}`);
        }
      };
      await stepUntil(sp, 'db-2 (the shard that owns user:2) commits user:2 = v2');
      const db2 = await sp.nodeText('db-2');
      assert.match(db2, /user:2 = v2/, db2);
      // A line too long for the box goes on to the next (layout::wrap); the note is cut.
      assert.match(db2, /outbox e1002\s+unpublished/, db2);
      assert.match(db2, /1 row, 1 unpublished/, db2);
      const rows = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="db-row"]')].map((r) => [
          r.getAttribute('data-db'),
          r.getAttribute('data-key'),
          r.getAttribute('data-value'),
        ]),
      );
      assert.deepEqual(rows, [['db', 'user:1', 'v1'], ['db-2', 'user:2', 'v2']]);
      await shots('db-2-commits');
      await stepUntil(sp, 'consumer-2 receives e1002');
      const c2 = await sp.nodeText('consumer-2');
      assert.match(c2, /handling e1002/, c2);
      assert.match(await sp.nodeText('relay-2'), /publishing|marking e1002/);
      await shots('consumer-2-deletes');
    }, { viewport });
  });
}

// The sandbox builder offers the new topology entries: a second primary owning a key,
// its relay and a second consumer. Built, it runs as a scenario file with those
// entries; a key that is not a number is refused with the reader's words (line, field),
// and the scenario on screen is kept.
test('the sandbox builds a second shard with its relay and a second consumer', async (t) => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const dp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await dp.openSandbox();
    await dp.setSandboxPattern('outbox');
    // A durable log: consumer-2 reads it as a consumer group of its own (it was
    // refused while the log had one committed offset).
    await dp.sandbox().locator('select').nth(1).selectOption('at-least-once');
    await dp.setSandboxField('keys', 2);
    await dp.setSandboxNode('db-2', true);
    await dp.setSandboxNode('db-2-keys', 'two');
    await dp.el('sandbox-build').click();
    const note = page.locator('[data-testid="sandbox-field-note"][data-field="nodes"]');
    await note.waitFor({ state: 'visible' });
    const said = await note.textContent();
    // The form's own field, not a line of the file it writes (which no one sees).
    assert.match(said, /owns keys: `two` is not a key of this sandbox \(1 to 2\)/, said);
    assert.doesNotMatch(said, /line \d+/, said);
    assert.equal(await sp.scenarioId(), 'stale-set-race', 'the scenario on screen is kept');
    await dp.setSandboxNode('db-2-keys', '2');
    await dp.setSandboxNode('relay-2', true);
    await dp.setSandboxNode('consumer-2', true);
    await dp.el('sandbox-build').click();
    await dp.waitScenario('my-outbox');
    assert.ok(await note.isHidden(), 'no error once the entries are right');
    const ids = (await sp.nodes()).map((n) => n.node);
    for (const id of ['db-2', 'relay-2', 'consumer-2', 'cache-2', 'service-2']) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    }
    assert.ok(new URL(page.url()).searchParams.get('s'), 'the built scenario travels in s=');
    await sp.runToEnd();
    const c2 = await sp.nodeText('consumer-2');
    assert.ok(c2, 'consumer-2 is drawn');
    const shot = tmpPath('sandbox-second-shard.png');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: shot, animations: 'disabled' });
    t.diagnostic(`screenshot: ${shot}`);
  });
});

/** A second shard with its own replica and invalidator (tests/shard_replica.rs's). */
function shardReplica() {
  const file = {
    format: 'cachescope-scenario',
    version: 1,
    id: 'shard-replica',
    title: 'A replica and an invalidator per shard',
    summary: 'db-2 owns user:2; replica-2 follows db-2 and invalidator-2 tails its log.',
    invariants: ['cache-matches-db'],
    settings: {
      keys: [1, 2],
      warm: [1],
      write_mode: 'commit-only',
      replica: { lag_ms: 20, miss_reads: 'replica' },
      invalidator: { tails: 'replica', delay_ms: 2, retry_ms: 50 },
      topology: [
        { id: 'db-2', keys: [2] },
        { id: 'replica-2', db: 'db-2' },
        { id: 'invalidator-2', db: 'db-2' },
      ],
      clients: {
        writer: [{ op: 'write', key: 2, at_ms: 0 }],
        reader: [{ op: 'read', key: 2, at_ms: 10 }],
      },
    },
  };
  return { name: 'shard-replica.json', text: JSON.stringify(file, null, 2) };
}

// replica-2 is drawn once, beside db-2, with its own rows: the row it read while
// behind db-2 marked as lag, then the change it applied from db-2's log.
test('the second shard\'s replica is drawn with its rows', async (t) => {
  await withPage(async (scenarioPage, page) => {
    const sp = ScreenPage.from(scenarioPage);
    const fp = ScenarioFilePage.from(scenarioPage);
    await sp.goto({ scenario: 'dual-write-crash' });
    await fp.openScenarioFile(shardReplica(), 'shard-replica');
    const ids = (await boxes(page)).map((n) => n.id);
    for (const id of ['db-2', 'replica', 'replica-2', 'invalidator', 'invalidator-2']) {
      assert.equal(ids.filter((x) => x === id).length, 1, `${id} drawn once in ${ids.join(', ')}`);
    }
    await stepUntil(sp, 'replica-2 reads user:2: v1');
    const behind = await sp.nodeText('replica-2');
    assert.match(behind, /user:2 = v1 \(lag\)/, behind);
    assert.doesNotMatch(await sp.nodeText('replica'), /user:2/);
    await stepUntil(sp, 'replica-2 applies position 1002');
    assert.match(await sp.nodeText('replica-2'), /user:2 = v2/);
    const shot = tmpPath('shard-replica.png');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: shot, animations: 'disabled' });
    t.diagnostic(`screenshot: ${shot}`);
  }, { viewport: { width: 1280, height: 720 } });
});
