// The page's wasm is split (scripts/split.sh): the run file's writer, the sequence
// diagram, side by side, present mode, the sandbox builder and the explorer's result
// panel are chunks that are not part of the initial download (scripts/page-size.sh does
// not count them); each is fetched on first use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../lib/harness.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';
import { ExplorePage } from '../pages/ExplorePage.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, DIST_DIR } from '../lib/harness.mjs';

const { withPage } = useApp();

// The page's own wasm and the search worker's are the only .wasm files of the initial
// download; any other is a chunk. The catalog's words are a chunk the page fetches right
// after its first paint (the last test), not on a first use: neither it nor the chunks
// it imports (shared with other split points; the loader `__wasm_split.js` lists them)
// are counted here.
const WORDS_CHUNK = /split_load_words_[0-9]+\.wasm$/;
const wordsImports = (() => {
  const loader = fs.readFileSync(path.join(DIST_DIR, '__wasm_split.js'), 'utf8');
  const deps = loader.match(/__wasm_split_load_load_words_[0-9]+\s*=[\s\S]*?\},\s*\[([^\]]*)\]\s*\)/);
  assert.ok(deps, "the loader lists the words chunk's imports");
  return deps[1]
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const file = loader.match(
        new RegExp(`\\b${name.replace('$', '\\$')}\\s*=\\s*[\\w$]+\\(\\(\\)\\s*=>\\s*\\{\\s*const [\\w$]+\\s*=\\s*fetch\\(new URL\\("\\./(chunk_[0-9]+\\.wasm)"`),
      );
      assert.ok(file, `the loader names the file of chunk ${name}`);
      return file[1];
    });
})();
const isChunk = (url) => {
  const name = new URL(url).pathname.split('/').pop();
  return (
    name.endsWith('.wasm') &&
    !/^(cachescope|explore_worker)(-[0-9a-f]+)?_bg\.wasm$/.test(name) &&
    !WORDS_CHUNK.test(name) &&
    !wordsImports.includes(name)
  );
};

test('the run file writer loads on the first export, not at startup', async () => {
  await withPage(async (scenarioPage, page) => {
    const chunks = [];
    page.on('request', (req) => {
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
    page.on('request', (req) => {
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
    page.on('request', (req) => {
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
    page.on('request', (req) => {
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

// The catalog's words (summaries, cards, what each fix does and costs) are a chunk of
// their own, fetched after the first paint: a link opened cold shows its scenario at
// once (title, fixes, controls, the run), says "Loading the catalog's words…" where a
// word is missing, and the words themselves as soon as the chunk is there. The chunk is
// held back here until the first paint has been checked.
test("a link opened cold shows its scenario at once and the catalog's words when their chunk arrives", async () => {
  await withPage(async (scenarioPage, page) => {
    const file = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'src/sim/scenarios/stale-set-race.json'), 'utf8'),
    );
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    let asked = false;
    await page.route(WORDS_CHUNK, async (route) => {
      asked = true;
      await held;
      await route.continue();
    });
    await page.goto(scenarioPage.url({ scenario: 'stale-set-race', fix: 'lease' }));
    await page.locator('[data-testid="step-counter"][data-ready="true"]').waitFor({ state: 'attached' });
    const narration = page.locator('[data-testid="narration"]');
    const card = page.locator('.learn .cards li').first();
    const lease = page.locator('[data-testid="fix-toggle"][data-fix="lease"]');
    assert.equal(await page.locator('main').getAttribute('data-words'), 'loading');
    assert.equal(await page.locator('[data-testid="scenario-title"]').textContent(), file.title);
    assert.equal(await lease.getAttribute('aria-pressed'), 'true', 'the link is applied');
    assert.ok(asked, 'the page asks for the words at startup');
    const loading = "Loading the catalog's words…";
    assert.ok((await narration.textContent()).startsWith(loading), await narration.textContent());
    assert.equal(await card.textContent(), loading);
    assert.equal(await lease.getAttribute('title'), loading);
    // The learning path: its cards (their markup's code and the words "Where it is
    // used") come in the same chunk, below the first screen (session 28: 1.3 kB out of
    // the first download); until then it says so.
    assert.equal(await page.locator('#path .path-cards').count(), 0, 'no cards yet');
    assert.equal(await page.locator('#path p.sub').textContent(), loading);
    const used = page.locator('.path-cards .pattern').first().locator('.cards > div:nth-child(3) > p');
    await page.screenshot({ path: path.join(REPO_ROOT, 'target/words-loading.png') });

    release();
    await page.locator('main[data-words="loaded"]').waitFor({ state: 'attached' });
    // With a fix on, step 0 says the story without it and what the fix changes (5d4595b).
    const fix = file.fixes.find((f) => f.id === 'lease');
    const what = fix.what;
    // The fix's title mid-sentence, its first letter lowercased (review 27).
    const title = fix.title[0].toLowerCase() + fix.title.slice(1);
    assert.equal(
      await narration.textContent(),
      `Without a fix: ${file.summary} With ${title} on: ${what} Press Step (→) to begin.`,
    );
    assert.equal(await card.textContent(), file.flow[0]);
    assert.equal(await lease.getAttribute('title'), what);
    assert.ok((await page.locator('.fix-notes').textContent()).includes(what), 'the fix notes say what it does');
    // The learning path's cards, lower on the page (the first is cache-aside's).
    const lead = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'src/sim/scenarios/cache-aside-read.json'), 'utf8'),
    );
    const cards = await page.locator('.path-cards').textContent();
    assert.ok(cards.includes(lead.pros[0]) && cards.includes(lead.cons[0]), 'the learning path shows pros and cons');
    assert.ok(!cards.includes(loading), 'and no placeholder');
    assert.ok((await used.textContent()).startsWith('The default with Redis or Memcached'), await used.textContent());
    await page.screenshot({ path: path.join(REPO_ROOT, 'target/words-loaded.png') });
  });
});
