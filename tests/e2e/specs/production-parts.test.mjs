// Issue 9, deliver 3, end to end: a scenario file that combines the production parts
// (negative caching on a lagging replica) loads and runs in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { ScenarioFilePage } from '../pages/ScenarioFilePage.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';

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

// Issue 9, deliver 3, in the sandbox: the builder puts the production parts on top of a
// pattern, and the learner watches the combination run.
test('the sandbox builds negative caching on a lagging replica and runs it', async () => {
  await withPage(async (sp0) => {
    const sp = ScenarioFilePage.from(sp0);
    const dp = DrivePage.from(sp0);
    await sp.goto({ scenario: 'stale-set-race' });
    await dp.openSandbox();
    await dp.setSandboxPattern('cache-aside');
    await dp.setSandboxPart('replica', true);
    await dp.setSandboxPart('lag', 20);
    await dp.setSandboxPart('negative', true);
    await dp.setSandboxPart('negative-ttl', 300);
    await dp.setSandboxPart('insert-deletes', true);
    await dp.el('sandbox-build').click();
    await dp.waitScenario('sandbox');
    assert.match(sp.page.url(), /sb=1\.a111mn\.r20\.n300d/, sp.page.url());
    const nodes = (await sp.nodes()).map((n) => n.node);
    assert.ok(nodes.includes('replica'), `a replica was built: ${nodes}`);
    // A sandbox with production parts also checks read-your-writes.
    assert.equal(await sp.invariant('read-your-writes'), 'ok');
    await sp.runToEnd();
    assert.ok((await sp.metric('replica-reads')) >= 1, 'misses read the replica');
    const log = (await sp.logEntries()).join('\n');
    assert.match(log, /INSERT user:1/, 'the writer inserts the row');
    assert.match(log, /service->replica: select user:1/, log);
    await sp.screenshot('/tmp/e2e-sandbox-negative-replica.png');
  });
});

test('the sandbox builds a transaction-aware write-through with two writers, the second waiting for the row lock', async () => {
  await withPage(async (sp0) => {
    const sp = ScenarioFilePage.from(sp0);
    const dp = DrivePage.from(sp0);
    await sp.goto({ scenario: 'stale-set-race' });
    await dp.openSandbox();
    await dp.setSandboxPattern('write-through');
    await dp.setSandboxField('writers', 2);
    await dp.setSandboxPart('txn', true);
    await dp.setSandboxPart('cache-aware', true);
    await dp.el('sandbox-build').click();
    await dp.waitScenario('sandbox');
    assert.match(sp.page.url(), /sb=1\.t121mn\.tia/, sp.page.url());
    await sp.runToEnd();
    const log = (await sp.logEntries()).join('\n');
    assert.match(log, /waits for the row lock/, 'the second UPDATE waits for the first one\'s row lock');
    assert.equal(await sp.invariant('cache-matches-db'), 'ok');
    await sp.screenshot('/tmp/e2e-sandbox-txn-two-writers.png');
  });
});

test('abort is offered while a transaction is open, and not after it commits', async () => {
  await withPage(async (sp0) => {
    const sp = ScenarioFilePage.from(sp0);
    const dp = DrivePage.from(sp0);
    await sp.goto({ scenario: 'invalidate-before-commit' });
    const offered = [];
    // Bounded: the scenario ends in a few dozen steps.
    for (let i = 0; i < 80; i++) {
      offered.push(await dp.hasFault('abort', 'writer'));
      if (!(await sp.canStepForward())) break;
      await sp.stepForward();
    }
    const first = offered.indexOf(true);
    const last = offered.lastIndexOf(true);
    assert.ok(first > 0, `abort is not offered before BEGIN, then it is: ${offered}`);
    assert.ok(offered.slice(first, last + 1).every(Boolean), `offered for the whole time it is open: ${offered}`);
    assert.equal(offered[offered.length - 1], false, 'not offered once the transaction has committed');
    assert.match((await sp.logEntries()).join('\n'), /COMMIT|commit/);
  });
});
