// The scenario list and the learning path's first patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';

const { withPage } = useApp();

// Every scenario id of shared/spec/scenarios.md, and those the catalog adds.
const CATALOG = [
  'cache-aside-read', 'cache-aside-write', 'write-through', 'write-behind', 'ttl-expiry',
  'event-invalidation', 'hybrid', 'outbox',
  'stale-set-race', 'delete-before-update-race', 'write-through-race', 'write-behind-crash',
  'ttl-jitter', 'stampede', 'event-delay', 'event-loss', 'event-duplicate-reorder',
  'poison-event', 'dual-write-crash',
  // Databases as they run in production (issue 9)
  'replica-lag-refill', 'invalidate-before-commit', 'rollback-after-cache-write',
  'negative-cache', 'cdc-invalidation', 'cross-region-read-your-writes',
  // Ours, beyond the spec's table: near caches and the CDN purge race (issue 8)
  'near-cache-stale', 'cdn-purge-race',
];

test('with no query, cache-aside-read is loaded', async () => {
  await withPage(async (sp) => {
    await sp.goto();
    assert.equal(await sp.scenarioId(), 'cache-aside-read');
    assert.equal(await sp.step(), 0);
    assert.equal(await sp.loadError(), null);
    assert.ok((await sp.scenarioLinks()).length > 0, 'the scenario list is there');
  });
});

test('the scenario list holds every scenario of the catalog', async () => {
  await withPage(async (sp) => {
    await sp.goto();
    const links = await sp.scenarioLinks();
    assert.deepEqual(CATALOG.filter((id) => !links.includes(id)), [], 'missing from the list');
    assert.deepEqual(links.filter((id) => !CATALOG.includes(id)), [], 'not in the catalog');
  });
});

test('every scenario-link loads its scenario, which runs to the end', async () => {
  await withPage(async (sp) => {
    await sp.goto();
    const links = [...new Set(await sp.scenarioLinks())];
    assert.ok(links.length > 0);
    for (const id of links) {
      await sp.openScenario(id);
      assert.equal(await sp.scenarioId(), id);
      assert.equal(await sp.step(), 0, `${id} starts at step 0`);
      assert.equal(await sp.loadError(), null, `${id}: no load-error`);
      assert.ok((await sp.el('invariant').count()) > 0, `${id} checks at least one invariant`);
      const end = await sp.runToEnd();
      assert.ok(end > 0 && end <= 500, `${id}: run length ${end}`);
      assert.equal(await sp.steps(), end, `${id}: the run has ended`);
      assert.equal(await sp.canStepForward(), false, `${id}: step-forward is disabled at the end`);
    }
  });
});

test('cache-aside-read ends with one DB read, one hit, v1 cached', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: 'cache-aside-read' });
    await sp.runToEnd();
    assert.equal(await sp.invariant('cache-matches-db'), 'ok');
    assert.equal(await sp.metric('db-reads'), 1);
    assert.equal(await sp.metric('cache-hits'), 1);
    const cache = await sp.cacheEntries();
    assert.ok(cache.length >= 1 && cache.every((c) => c.value === 'v1'), `cache: ${JSON.stringify(cache)}`);
  });
});

test('cache-aside-write ends with v2 cached', async () => {
  await withPage(async (sp) => {
    await sp.goto({ scenario: 'cache-aside-write' });
    await sp.runToEnd();
    assert.equal(await sp.invariant('cache-matches-db'), 'ok');
    const cache = await sp.cacheEntries();
    assert.ok(cache.some((c) => c.value === 'v2'), `cache: ${JSON.stringify(cache)}`);
    const db = await sp.dbRows();
    assert.ok(db.some((r) => r.value === 'v2'), `db: ${JSON.stringify(db)}`);
  });
});
