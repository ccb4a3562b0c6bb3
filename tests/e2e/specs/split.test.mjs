// The page's wasm is split (scripts/split.sh): the run file's writer, the sequence
// diagram, side by side, present mode, the sandbox builder and the explorer's result
// panel are chunks that are not part of the initial download (scripts/page-size.sh does
// not count them); each is fetched on first use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';
import { ExplorePage } from '../pages/ExplorePage.mjs';

const { withPage } = useApp();

// The page's own wasm and the search worker's are the only .wasm files of the initial
// download; any other is a chunk.
const isChunk = (url) => {
  const name = new URL(url).pathname.split('/').pop();
  return name.endsWith('.wasm') && !/^(cachescope|explore_worker)(-[0-9a-f]+)?_bg\.wasm$/.test(name);
};

test('the run file writer loads on the first export, not at startup', async () => {
  await withPage(async (scenarioPage, page) => {
    const chunks = [];
    page.on('requestfinished', (req) => {
      if (isChunk(req.url())) chunks.push(req.url());
    });
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race' });
    await sp.stepForward();
    assert.deepEqual(chunks, [], 'no chunk is fetched at startup');

    const first = await sp.exportRun();
    const spec = JSON.parse(first.text);
    assert.equal(spec.scenario, 'stale-set-race');
    assert.equal(spec.cursor, 1);
    assert.ok(
      chunks.some((url) => /split_export_run_/.test(url)),
      `the first export fetches the writer's chunk (and the chunks it shares): ${chunks.join(', ')}`,
    );
    const fetched = chunks.length;

    const second = await sp.exportRun();
    assert.equal(second.text, first.text, 'a second export writes the same file');
    assert.equal(chunks.length, fetched, 'the chunks are fetched once');
  });
});

test('the sequence diagram loads on first use, not at startup', async () => {
  await withPage(async (scenarioPage, page) => {
    const chunks = [];
    page.on('requestfinished', (req) => {
      if (isChunk(req.url())) chunks.push(req.url());
    });
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race', step: 9 });
    assert.deepEqual(chunks, [], 'no chunk is fetched at startup');
    await page.locator('[data-testid=show-sequence]').click();
    await page.locator('[data-testid=sequence]').first().waitFor({ state: 'visible' });
    assert.ok(
      chunks.some((url) => /split_sequence_view_/.test(url)),
      `switching to the sequence diagram fetches its chunk: ${chunks.join(', ')}`,
    );
  });
});

test('the sandbox builder loads on the first opening of its panel, not at startup', async () => {
  await withPage(async (scenarioPage, page) => {
    const chunks = [];
    page.on('requestfinished', (req) => {
      if (isChunk(req.url())) chunks.push(req.url());
    });
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'cache-aside-read' });
    assert.deepEqual(chunks, [], 'no chunk is fetched at startup');
    await sp.buildSandbox();
    assert.ok(
      chunks.some((url) => /split_sandbox_form_/.test(url)),
      `opening the sandbox fetches its chunk: ${chunks.join(', ')}`,
    );
  });
});

test("the explorer's result panel loads with the first result, not at startup", async () => {
  await withPage(async (scenarioPage, page) => {
    const chunks = [];
    page.on('requestfinished', (req) => {
      if (isChunk(req.url())) chunks.push(req.url());
    });
    const sp = DrivePage.from(scenarioPage);
    await sp.goto({ scenario: 'stale-set-race', fix: 'lease' });
    assert.deepEqual(chunks, [], 'no chunk is fetched at startup');
    const ex = new ExplorePage(page);
    await ex.start();
    const r = await ex.result();
    assert.equal(r.violations, 0, 'the lease leaves no violation');
    assert.ok(
      chunks.some((url) => /split_result_view_/.test(url)),
      `the first result fetches its chunk: ${chunks.join(', ')}`,
    );
  });
});
