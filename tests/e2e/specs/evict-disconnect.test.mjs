// Issue 10's search faults by hand, on the release build: in event-invalidation (Redis
// Pub/Sub, a consumer deletes the key when the write's event arrives) the learner
// disconnects the consumer, so the write's event is pushed to nobody and the cache keeps
// v1; evicts that stale key from the cache (memory pressure); and resubscribes the
// consumer. Only through the fault buttons (data-fault, data-target, data-cache); the
// narration, the diagram, the cache entries, the metric and the invariant say what
// happened. No console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';

const { withPage } = useApp();

test('disconnect loses the event, evict drops the stale key, resubscribe takes new messages only', async () => {
  await withPage(async (sp) => {
    const dp = DrivePage.from(sp);
    await dp.goto({ scenario: 'event-invalidation' });

    // Disconnect: the consumer runs on with its memory, its subscription is broken.
    assert.ok(await dp.hasFault('disconnect', 'consumer'), `offered: ${JSON.stringify(await dp.faults())}`);
    assert.ok(!(await dp.hasFault('resubscribe', 'consumer')), 'nothing to resubscribe yet');
    assert.doesNotMatch(await dp.nodeText('consumer'), /not subscribed/);
    assert.equal(await dp.injectFault('disconnect', 'consumer'), 1, 'a fault is a step');
    assert.match(await dp.narration(), /Redis Pub\/Sub keeps no history/);
    assert.match(await dp.nodeText('consumer'), /not subscribed/);
    assert.equal(await dp.nodeStatus('consumer'), 'up', 'it still runs');
    assert.ok(!(await dp.hasFault('disconnect', 'consumer')), 'already disconnected');
    assert.ok(await dp.hasFault('resubscribe', 'consumer'), 'it can subscribe again');

    // The write's event is published while nobody is subscribed: dropped, the cache
    // keeps v1 and the second read is stale.
    await dp.stepToEnd();
    const log = (await dp.logEntries()).join('\n');
    assert.match(log, /dropped e\d+/, log);
    assert.deepEqual(
      (await dp.cacheEntries()).map((c) => [c.key, c.value]),
      [['user:1', 'v1']],
    );
    assert.deepEqual((await dp.dbRows()).map((r) => [r.key, r.value]), [['user:1', 'v2']]);
    assert.equal(await dp.invariant('cache-matches-db'), 'violated');
    assert.equal(await dp.metric('stale-reads'), 1);
    assert.match(await dp.nodeText('consumer'), /not subscribed/);

    // Evict: memory pressure drops the stale key from the cache node (data-cache).
    const faults = await dp.faults();
    const evicts = faults.filter((f) => f.fault === 'evict');
    assert.deepEqual(evicts.map((f) => [f.target, f.cache]), [['user:1', 'cache']], JSON.stringify(faults));
    assert.match(await dp.faultButton('evict', 'user:1', 'cache').textContent(), /evict user:1 from cache/);
    const before = await dp.step();
    assert.equal(await dp.injectFault('evict', 'user:1', 'cache'), before + 1);
    assert.match(await dp.narration(), /evicts user:1 = v1 to make room/);
    assert.deepEqual(await dp.cacheEntries(), [], 'the evicted key is gone from the cache');
    assert.doesNotMatch(await dp.nodeText('cache'), /user:1/);
    assert.equal(await dp.metric('evictions'), 1, 'the metric shows once a key was evicted');
    assert.equal(await dp.invariant('cache-matches-db'), 'ok', 'no stale copy is left');
    assert.ok(!(await dp.hasFault('evict', 'user:1', 'cache')), 'nothing left to evict');

    // Resubscribe: the Subscribe message is on its way; until it arrives the consumer
    // is still not subscribed; then it only sees new messages.
    await dp.injectFault('resubscribe', 'consumer');
    assert.ok(!(await dp.hasFault('resubscribe', 'consumer')), 'its Subscribe is in flight');
    assert.match(await dp.nodeText('consumer'), /not subscribed/, 'until the bus has it');
    assert.ok(await dp.canStepForward(), 'the Subscribe arrives next');
    await dp.stepForward();
    assert.match(await dp.narration(), /subscribes again/);
    assert.match(await dp.narration(), /while it was disconnected, and whatever was on its way to it when the connection broke, is lost/);
    assert.doesNotMatch(await dp.nodeText('consumer'), /not subscribed/);
    assert.ok(await dp.hasFault('disconnect', 'consumer'), 'subscribed again: it can disconnect again');
    assert.equal(await dp.nodeStatus('consumer'), 'up');
  });
});
