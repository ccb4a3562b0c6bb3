// Issue 9, deliver 3, end to end: a scenario file that combines the production parts
// (negative caching on a lagging replica) loads and runs in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { ScenarioFilePage } from '../pages/ScenarioFilePage.mjs';

const { withPage } = useApp();

const NEGATIVE_ON_A_REPLICA = {
  format: 'cachescope-scenario',
  version: 1,
  id: 'negative-on-a-replica',
  title: 'A not found from a lagging replica',
  summary: 'The insert deletes the key, but the next miss reads a replica that has not applied it, and caches absent.',
  seed: 1,
  invariants: ['cache-matches-db'],
  metrics: ['db-reads', 'replica-reads', 'stale-reads'],
  settings: {
    keys: [],
    clients: {
      writer: [{ op: 'insert', key: 2, at_ms: 0 }],
      reader: [{ op: 'read', key: 2, at_ms: 15 }],
    },
    replica: { lag_ms: 20, miss_reads: 'replica' },
    negative: { ttl_ms: 300000, invalidate_on_insert: true },
  },
};

test('a scenario file with negative caching on a lagging replica loads and runs', async () => {
  await withPage(async (sp0) => {
    const sp = ScenarioFilePage.from(sp0);
    await sp.goto({ scenario: 'negative-cache' });
    const text = JSON.stringify(NEGATIVE_ON_A_REPLICA, null, 2);
    await sp.openScenarioFile({ name: 'negative-on-a-replica.json', text }, 'negative-on-a-replica');
    assert.equal(await sp.step(), 0);
    await sp.runToEnd();
    const entries = await sp.cacheEntries();
    const rows = await sp.dbRows();
    assert.ok(entries.some((c) => c.key === 'user:2' && c.value === 'absent'), `absent cached: ${JSON.stringify(entries)}`);
    assert.ok(rows.some((r) => r.key === 'user:2' && r.value === 'v1'), `the row exists: ${JSON.stringify(rows)}`);
    assert.equal(await sp.invariant('cache-matches-db'), 'violated');
    assert.equal(await sp.metric('replica-reads'), 1);
    await sp.screenshot('/tmp/e2e-negative-on-a-replica.png');
  });
});
