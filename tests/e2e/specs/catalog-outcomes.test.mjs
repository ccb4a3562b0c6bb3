// Issue 3, end to end: every scenario link loads, runs to the end with no console error,
// and shows the catalog's outcome (shared/spec/scenarios.md) with no fix and with each
// fix; and the learning path leads from the first scenario to the last.
//
// The scenarios and their fixes are read off the page (scenario-link, fix-toggle); the
// outcomes the catalog gives are in EXPECT, keyed by scenario id and fix id, and the two
// must agree (a scenario or fix on the page without an expectation fails, and so does an
// expectation the page does not offer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';

const { withPage } = useApp();

// ---------------------------------------------------------------- checks

/** Every invariant shown is ok (and there is at least one). */
async function allOk(sp, label) {
  const inv = await sp.invariants();
  assert.ok(Object.keys(inv).length > 0, `${label}: at least one invariant`);
  for (const [name, status] of Object.entries(inv)) assert.equal(status, 'ok', `${label}: ${name}`);
}

async function violated(sp, name, label) {
  assert.equal(await sp.invariant(name), 'violated', `${label}: ${name} is violated at the end`);
}

async function okInv(sp, name, label) {
  assert.equal(await sp.invariant(name), 'ok', `${label}: ${name} is ok at the end`);
}

async function metricIs(sp, name, want, label) {
  assert.equal(await sp.metric(name), want, `${label}: metric ${name}`);
}

/** Every cached key holds the value the DB has (the state behind cache-matches-db). */
async function cacheMatchesDbRows(sp, label) {
  const db = await sp.dbRows();
  for (const c of await sp.cacheEntries()) {
    const row = db.find((r) => r.key === c.key);
    assert.equal(c.value, row?.value, `${label}: cache ${c.key}=${c.value}, db ${row?.value}`);
  }
}

/** Some cached key holds `cached` while the DB row for it holds `db`. */
async function staleKey(sp, cached, db, label) {
  const rows = await sp.dbRows();
  const cache = await sp.cacheEntries();
  const hit = cache.find((c) => c.value === cached && rows.find((r) => r.key === c.key)?.value === db);
  assert.ok(hit, `${label}: a key cached at ${cached} with the db at ${db}: cache ${JSON.stringify(cache)} db ${JSON.stringify(rows)}`);
}

async function allOutboxPublished(sp, label) {
  const rows = await sp.outboxRows();
  assert.ok(rows.length > 0, `${label}: the outbox has rows`);
  for (const r of rows) assert.equal(r.published, 'true', `${label}: outbox row ${r.eventId} is published`);
}

async function readerCount(sp) {
  return (await sp.nodeIds()).filter((id) => /^reader(-\d+)?$/.test(id)).length;
}

// A fix that the catalog says holds: every invariant ok, the cache agrees with the db.
const holds = async (sp, label) => {
  await allOk(sp, label);
  await cacheMatchesDbRows(sp, label);
};

// ---------------------------------------------------------------- the catalog's outcomes

// ctx: values remembered across the runs of one scenario (no fix runs first).
const EXPECT = {
  'cache-aside-read': {
    none: async (sp, l) => {
      await allOk(sp, l);
      const cache = await sp.cacheEntries();
      assert.ok(cache.length > 0 && cache.every((c) => c.value === 'v1'), `${l}: the cache holds v1: ${JSON.stringify(cache)}`);
      await metricIs(sp, 'db-reads', 1, l);
      await metricIs(sp, 'cache-hits', 1, l);
    },
    fixes: {},
  },
  'cache-aside-write': {
    none: async (sp, l) => {
      await holds(sp, l);
      const cache = await sp.cacheEntries();
      assert.ok(cache.some((c) => c.value === 'v2'), `${l}: the cache holds v2: ${JSON.stringify(cache)}`);
    },
    fixes: {},
  },
  'write-through': {
    none: async (sp, l) => {
      await holds(sp, l);
      // Reads always hit: the DB is never read.
      await metricIs(sp, 'db-reads', 0, l);
      assert.ok((await sp.metric('cache-hits')) >= 1, `${l}: reads hit`);
    },
    fixes: {},
  },
  'write-behind': {
    none: async (sp, l) => {
      await holds(sp, l);
      const writes = await sp.metric('db-writes');
      const acked = await sp.metric('writes-acked');
      assert.ok(writes < acked, `${l}: db-writes (${writes}) < writes-acked (${acked}): writes coalesced`);
    },
    fixes: {},
  },
  'ttl-expiry': {
    none: async (sp, l) => {
      await holds(sp, l);
      assert.ok((await sp.metric('stale-reads')) >= 1, `${l}: stale-reads >= 1`);
    },
    fixes: {},
  },
  'event-invalidation': { none: holds, fixes: {} },
  hybrid: { none: holds, fixes: {} },
  outbox: {
    none: async (sp, l) => {
      await holds(sp, l);
      await allOutboxPublished(sp, l);
    },
    fixes: {},
  },
  'stale-set-race': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await staleKey(sp, 'v1', 'v2', l);
    },
    fixes: { 'versioned-set': holds, lease: holds, 'delayed-double-delete': holds },
  },
  'delete-before-update-race': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await staleKey(sp, 'v1', 'v2', l);
    },
    fixes: { 'update-then-delete': holds },
  },
  'write-through-race': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await staleKey(sp, 'v2', 'v3', l);
    },
    fixes: { 'versioned-write': holds },
  },
  'write-behind-crash': {
    none: async (sp, l) => violated(sp, 'no-lost-write', l),
    fixes: { 'durable-queue': holds },
  },
  'ttl-jitter': {
    none: async (sp, l, ctx) => {
      await okInv(sp, 'cache-matches-db', l);
      assert.ok((await sp.dbRows()).length >= 20, `${l}: at least 20 keys`);
      ctx.peak = await sp.metric('db-reads-peak');
      assert.ok(ctx.peak > 1, `${l}: db-reads-peak is high (${ctx.peak})`);
    },
    fixes: {
      jitter: async (sp, l, ctx) => {
        await okInv(sp, 'cache-matches-db', l);
        const peak = await sp.metric('db-reads-peak');
        assert.ok(peak < ctx.peak, `${l}: db-reads-peak with jitter (${peak}) < without (${ctx.peak})`);
      },
    },
  },
  stampede: {
    none: async (sp, l, ctx) => {
      ctx.readers = await readerCount(sp);
      assert.ok(ctx.readers >= 5, `${l}: N >= 5 readers (${ctx.readers})`);
      await metricIs(sp, 'db-reads', ctx.readers, l);
    },
    fixes: Object.fromEntries(
      ['mutex', 'single-flight', 'lease', 'early-expiration'].map((f) => [
        f,
        async (sp, l) => {
          await holds(sp, l);
          await metricIs(sp, 'db-reads', 1, l);
        },
      ]),
    ),
  },
  'event-delay': {
    // Violated while the event is in flight, ok once delivered: stepped by hand.
    stepped: true,
    none: async (sp, l, ctx) => {
      assert.ok(ctx.violatedAt.length > 0, `${l}: cache-matches-db is violated at some step on the way`);
      const first = ctx.violatedAt[0];
      assert.ok(first > 0 && first < ctx.end, `${l}: violated in the middle (step ${first} of ${ctx.end})`);
      await holds(sp, l);
    },
    fixes: {},
  },
  'event-loss': {
    none: async (sp, l) => {
      await violated(sp, 'no-lost-event', l);
      await violated(sp, 'cache-matches-db', l);
    },
    fixes: { 'durable-bus': holds },
  },
  'event-duplicate-reorder': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await staleKey(sp, 'v2', 'v3', l);
    },
    fixes: { 'versioned-events': holds, 'idempotent-consumer': holds },
  },
  'poison-event': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      assert.equal((await sp.dlqMessages()).length, 0, `${l}: no dlq-message without the fix`);
    },
    fixes: {
      'retry-dlq': async (sp, l) => {
        await okInv(sp, 'cache-matches-db', l);
        assert.equal((await sp.dlqMessages()).length, 1, `${l}: one dlq-message`);
      },
    },
  },
  'dual-write-crash': {
    none: async (sp, l) => {
      await violated(sp, 'no-lost-event', l);
      await violated(sp, 'cache-matches-db', l);
    },
    fixes: {
      outbox: async (sp, l) => {
        await holds(sp, l);
        await allOutboxPublished(sp, l);
      },
    },
  },
  'replica-lag-refill': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await staleKey(sp, 'v1', 'v2', l);
      await metricIs(sp, 'replica-reads', 1, l);
    },
    fixes: {
      'versioned-set': holds,
      // Leases do not help here: the page says why.
      lease: async (sp, l) => {
        await violated(sp, 'cache-matches-db', l);
        assert.match(await sp.narration(), /not reads of a stale copy/, `${l}: the page says why`);
      },
      'fill-from-primary': async (sp, l) => {
        await holds(sp, l);
        await metricIs(sp, 'db-reads', 1, l);
        await metricIs(sp, 'replica-reads', 0, l);
      },
    },
  },
  'invalidate-before-commit': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await staleKey(sp, 'v1', 'v2', l);
    },
    fixes: { 'after-commit-hook': holds },
  },
  'rollback-after-cache-write': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await staleKey(sp, 'v2', 'v1', l);
      assert.ok((await sp.metric('stale-reads')) >= 1, `${l}: stale-reads >= 1`);
    },
    fixes: { 'transaction-aware-cache': holds },
  },
  'negative-cache': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await staleKey(sp, 'absent', 'v1', l);
      assert.ok((await sp.metric('stale-reads')) >= 1, `${l}: stale-reads >= 1`);
    },
    fixes: {
      'invalidate-on-insert': holds,
      'short-negative-ttl': async (sp, l) => {
        await holds(sp, l);
        assert.ok((await sp.metric('stale-reads')) >= 1, `${l}: stale-reads >= 1 (bounded staleness)`);
      },
    },
  },
  'cdc-invalidation': {
    none: async (sp, l) => {
      await holds(sp, l);
      await okInv(sp, 'no-lost-event', l);
      assert.match(await sp.narration(), /not the stale-set race/, `${l}: the page says what CDC does not fix`);
    },
    fixes: {},
  },
  'cross-region-read-your-writes': {
    none: async (sp, l) => {
      await violated(sp, 'read-your-writes', l);
      await okInv(sp, 'cache-matches-db', l);
      assert.ok((await sp.metric('stale-reads')) >= 1, `${l}: stale-reads >= 1`);
    },
    fixes: {
      'remote-marker': async (sp, l) => {
        await okInv(sp, 'read-your-writes', l);
        await okInv(sp, 'cache-matches-db', l);
        await metricIs(sp, 'db-reads', 1, l);
      },
    },
  },
  'near-cache-stale': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await metricIs(sp, 'stale-reads', 1, l);
      assert.match(await sp.narration(), /nothing told it/, `${l}: the page says why the near copy stayed`);
    },
    fixes: {
      'client-tracking': async (sp, l) => {
        await holds(sp, l);
        await metricIs(sp, 'stale-reads', 0, l);
        await metricIs(sp, 'db-reads', 2, l);
      },
      'short-near-ttl': async (sp, l) => {
        await holds(sp, l);
        await metricIs(sp, 'stale-reads', 0, l);
      },
    },
  },
  'cdn-purge-race': {
    none: async (sp, l) => {
      await violated(sp, 'cache-matches-db', l);
      await metricIs(sp, 'stale-reads', 1, l);
      assert.match(await sp.narration(), /A purge helps only once the origin is fresh/, `${l}: the page says why the purge did not help`);
    },
    fixes: {
      'invalidate-origin-first': async (sp, l) => {
        await holds(sp, l);
        await metricIs(sp, 'stale-reads', 0, l);
      },
      'double-purge': async (sp, l) => {
        await holds(sp, l);
        // The reader's read between the two purges still got v1: a heuristic.
        await metricIs(sp, 'stale-reads', 1, l);
      },
    },
  },
};

const PATTERNS = ['cache-aside-read', 'cache-aside-write', 'write-through', 'write-behind', 'ttl-expiry', 'event-invalidation', 'hybrid', 'outbox'];

// ---------------------------------------------------------------- tests

test('the scenario list and the expectations name the same 27 scenarios', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto();
    const links = [...new Set(await sp.scenarioLinks())];
    assert.equal(Object.keys(EXPECT).length, 27, 'the catalog has 27 scenarios');
    assert.deepEqual(Object.keys(EXPECT).filter((id) => !links.includes(id)), [], 'catalog ids missing from the list');
    assert.deepEqual(links.filter((id) => !(id in EXPECT)), [], 'links without an expected outcome');
  });
});

/** Run to the end with run-to-end, checking the run has ended. */
async function runToEndChecked(sp, label) {
  const end = await sp.runToEnd();
  assert.ok(end > 0 && end <= 500, `${label}: run length ${end}`);
  assert.equal(await sp.steps(), end, `${label}: data-steps is the run's length`);
  assert.equal(await sp.canStepForward(), false, `${label}: step-forward is disabled at the end`);
  return end;
}

/** Step to the end by hand, recording the steps at which cache-matches-db is violated. */
async function stepThrough(sp, label) {
  const violatedAt = [];
  let step = 0;
  while (await sp.canStepForward()) {
    step = await sp.stepForward();
    assert.ok(step <= 500, `${label}: at most 500 steps`);
    if ((await sp.invariant('cache-matches-db')) === 'violated') violatedAt.push(step);
  }
  assert.equal(await sp.steps(), step, `${label}: data-steps is the run's length`);
  return { violatedAt, end: step };
}

for (const [id, expect] of Object.entries(EXPECT)) {
  test(`${id}: its link loads it, and it ends as the catalog says with no fix and with each fix`, async () => {
    await withPage(async (scenarioPage) => {
      const sp = DrivePage.from(scenarioPage);
      await sp.goto();
      await sp.openScenario(id);
      assert.equal(await sp.scenarioId(), id);
      assert.equal(await sp.loadError(), null, `${id}: no load-error`);
      assert.equal(await sp.step(), 0, `${id} starts at step 0`);

      const fixes = await sp.fixes();
      assert.deepEqual(fixes.slice().sort(), Object.keys(expect.fixes).sort(), `${id}: the fixes the catalog lists`);
      for (const f of fixes) assert.equal(await sp.fixOn(f), false, `${id}: ${f} is off at first`);

      const ctx = {};
      const label = `${id} (no fix)`;
      if (expect.stepped) Object.assign(ctx, await stepThrough(sp, label));
      else await runToEndChecked(sp, label);
      await expect.none(sp, label, ctx);

      for (const fix of fixes) {
        const l = `${id} + ${fix}`;
        assert.equal(await sp.toggleFix(fix), true, `${l}: aria-pressed=true`);
        assert.equal(await sp.step(), 0, `${l}: a fix restarts the run from the start`);
        await runToEndChecked(sp, l);
        await expect.fixes[fix](sp, l, ctx);
        assert.equal(await sp.toggleFix(fix), false, `${l}: aria-pressed=false again`);
      }
    });
  });
}

test('the learning path lists every scenario, and next-scenario leads through all of them', async () => {
  await withPage(async (scenarioPage) => {
    const sp = DrivePage.from(scenarioPage);
    await sp.goto();
    const all = Object.keys(EXPECT);

    // The learning path section (id="path") links to every scenario, patterns first.
    const onPath = await sp.pathScenarioLinks();
    assert.deepEqual(all.filter((id) => !onPath.includes(id)), [], 'scenarios the learning path does not link to');
    assert.equal(onPath[0], 'cache-aside-read', 'the path starts with cache-aside');
    // Each pattern's card links to its own scenario and to the problems it meets; the
    // patterns' own scenarios come in the catalog's order.
    const patternOrder = onPath.filter((id) => PATTERNS.includes(id)).filter((id, i, a) => a.indexOf(id) === i);
    assert.deepEqual(patternOrder, PATTERNS, `the path lays out the patterns in the catalog's order: ${onPath.join(' ')}`);

    // Follow next-scenario from the first scenario to the last.
    assert.equal(await sp.scenarioId(), 'cache-aside-read', 'the default page is the first of the path');
    const visited = ['cache-aside-read'];
    const titles = [await sp.titleText()];
    while ((await sp.nextScenarioLink().count()) > 0) {
      assert.ok(visited.length < all.length, `next-scenario goes on past ${all.length} scenarios: ${visited.join(' → ')}`);
      const href = await sp.nextScenarioLink().getAttribute('href');
      const next = new URL(href, sp.baseURL).searchParams.get('scenario');
      assert.ok(next && !visited.includes(next), `next-scenario from ${visited.at(-1)} goes to a new scenario (${next})`);
      await sp.followNext(next);
      assert.equal(await sp.scenarioId(), next);
      const title = await sp.titleText();
      assert.notEqual(title, titles.at(-1), `the title changes from ${visited.at(-1)} to ${next}`);
      assert.ok(title.length > 0, `${next} has a title`);
      visited.push(next);
      titles.push(title);
    }
    assert.deepEqual(visited.slice().sort(), all.slice().sort(), `next-scenario visits every scenario once: ${visited.join(' → ')}`);
    assert.equal(new Set(titles).size, titles.length, 'every scenario has its own title');
    assert.ok(visited.slice(0, PATTERNS.length).every((id) => PATTERNS.includes(id)), 'the patterns come first');
  });
});
