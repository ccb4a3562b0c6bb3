// The teaching tools on the release build: present mode steps by keyboard and clicker
// keys, the sequence diagram shows the run with the current step marked, a note on a
// step travels in a link and in a run file, SVG and PNG export download valid pictures,
// copy-link copies the share link, and the title names the scenario.
// Screenshots for the README (docs/present.png, docs/sequence.png) are written when
// missing or with UPDATE_SCREENSHOT=1; otherwise to a temporary file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, REPO_ROOT, tmpPath } from '../lib/harness.mjs';
import { TeachPage } from '../pages/TeachPage.mjs';
import { DrivePage } from '../pages/DrivePage.mjs';

const { withPage, state } = useApp();
const NOTE = 'Both readers missed: the older value can land last <on purpose> & stay';

function shotPath(name) {
  const readme = path.join(REPO_ROOT, 'docs', name);
  return process.env.UPDATE_SCREENSHOT === '1' || !fs.existsSync(readme) ? readme : tmpPath(name);
}

async function assertPng(file, t) {
  const png = fs.readFileSync(file);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 5_000, 'the picture is not empty');
  t.diagnostic(`screenshot: ${file}`);
}

test('present mode fills the window, steps by arrows and clicker keys, and Esc leaves', async (t) => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    await sp.goto({ scenario: 'stale-set-race', step: 9, note: '9:The race: the older value lands last' });
    const nodeCount = (await sp.nodes()).length;
    await tp.openPresent();
    const view = tp.presentView();
    const box = await view.boundingBox();
    assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 1280, 720], 'it fills the window');
    // Only the drawing, the narration and the note: every node of the scenario is
    // drawn inside it, and the text is large.
    const shown = await view.locator('[data-testid="node"]').count();
    assert.equal(shown, nodeCount, 'every node is drawn in present mode');
    assert.ok(shown >= 4, `the scenario has its nodes (${shown})`);
    for (const node of await view.locator('[data-testid="node"]').all()) {
      const b = await node.boundingBox();
      assert.ok(b && b.y >= 0 && b.y + b.height <= 720 && b.x + b.width <= 1280, 'each node is on screen');
    }
    const narration = view.getByTestId('narration');
    assert.ok((await narration.innerText()).length > 20, 'the narration is shown');
    const size = await narration.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(size >= 24, `large type: ${size}px`);
    assert.match(await view.getByTestId('present-note').innerText(), /The race: the older value lands last/);
    assert.match(await view.getByTestId('present-step').innerText(), /^step 9/);

    const shot = shotPath('present.png');
    await page.screenshot({ path: shot });
    await assertPng(shot, t);

    // One step per key, in both directions; clickers send PageDown and PageUp.
    assert.equal(await tp.key('ArrowRight'), 10);
    assert.equal(await tp.presentStep(), 10);
    assert.equal(await view.getByTestId('present-note').count(), 0, 'step 10 has no note');
    assert.equal(await tp.key('PageDown'), 11);
    assert.equal(await tp.key('PageUp'), 10);
    assert.equal(await tp.key('ArrowLeft'), 9);
    assert.equal(await tp.key('ArrowLeft'), 8);
    // S shows the sequence diagram in present mode, with the current step marked.
    await page.keyboard.press('s');
    await view.getByTestId('sequence').waitFor({ state: 'visible' });
    assert.deepEqual(await tp.seqCurrentRows(view), [8]);
    await page.keyboard.press('s');
    await view.locator('[data-testid="node"]').first().waitFor({ state: 'visible' });

    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });
    assert.equal(await sp.step(), 8, 'leaving keeps the step');
    // The focus goes back to the button in the frame after leaving (`present::leave`:
    // leaving full screen moves it to the body on its way out), so wait for that frame
    // rather than read it at once (under load the read came first: session 20).
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'present', null, { timeout: 5_000 });
    // The page's own keys work again, one step each, once no control has the focus
    // (Esc leaves the focused button).
    await page.keyboard.press('Escape');
    assert.equal(await tp.key('ArrowRight'), 9);
  }, { viewport: { width: 1280, height: 720 } });
});

test('the sequence diagram shows the run so far and marks the current step', async (t) => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    await sp.goto({ scenario: 'stale-set-race', step: 6 });
    const inFlight = (await sp.inFlight()).map((m) => m.message).sort();
    await tp.showSequence();
    assert.equal(await tp.el('sequence').getAttribute('data-step'), '6');
    let msgs = await tp.seqMessages();
    assert.ok(msgs.length >= 6, `messages drawn: ${msgs.length}`);
    assert.ok(msgs.every((m) => m.step <= 6), 'nothing from the future');
    const flying = msgs.filter((m) => m.end === 'in-flight').map((m) => m.message).sort();
    assert.deepEqual(flying, inFlight, 'the lines still open are the messages in flight');
    assert.deepEqual(await tp.seqCurrentRows(), [6]);
    // The topology diagram gives its place to the sequence diagram.
    assert.equal(await page.locator('figure.diagram').isVisible(), false);

    // A step forward delivers (or sends) something: it is marked, and the row moves.
    await sp.stepForward();
    assert.deepEqual(await tp.seqCurrentRows(), [7]);
    msgs = await tp.seqMessages();
    const current = msgs.filter((m) => m.current);
    assert.ok(current.length >= 1, 'the step just taken is highlighted');
    assert.ok(current.every((m) => m.step === 7 || m.endStep === 7));
    const delivered = msgs.filter((m) => m.end === 'delivered');
    assert.ok(delivered.every((m) => m.endStep > m.step && m.endStep <= 7));

    await sp.runToEnd();
    const end = await sp.step();
    assert.deepEqual(await tp.seqCurrentRows(), [end]);
    const shot = shotPath('sequence.png');
    await page.locator('[data-testid="sequence"]').screenshot({ path: shot });
    await assertPng(shot, t);

    await tp.el('show-topology').click();
    assert.equal(await tp.el('sequence').count(), 0);
    assert.equal(await page.locator('figure.diagram').isVisible(), true);
  }, { viewport: { width: 1280, height: 900 } });
});

test('a note on a step travels in the link to a fresh page and in a run file', async () => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    await sp.goto({ scenario: 'stale-set-race', step: 4 });
    await tp.addNote(NOTE);
    assert.equal(await tp.noteText(), NOTE);
    const href = await tp.shareHref();
    assert.ok(new URL(href).searchParams.getAll('note').includes(`4:${NOTE}`), href);
    // The run file carries it too.
    const dp = DrivePage.from(sp);
    const file = await dp.exportRun();
    assert.deepEqual(JSON.parse(file.text).notes, [{ step: 4, text: NOTE }]);

    // A fresh page from the link: the note is on step 4 (and only there).
    const fresh = await state.browser.newContext({ baseURL: state.server.url });
    try {
      const p2 = await fresh.newPage();
      const errors = [];
      p2.on('pageerror', (e) => errors.push(String(e)));
      await p2.goto(href);
      await p2.locator('[data-testid="step-counter"][data-step="4"]').waitFor({ state: 'attached' });
      assert.equal((await p2.getByTestId('note').innerText()).replace(/^✎\s*/, ''), NOTE);
      await p2.getByTestId('step-forward').click();
      assert.equal(await p2.getByTestId('note').count(), 0);
      await p2.getByTestId('show-sequence').click();
      const seqNote = p2.locator('[data-testid="seq-note"]');
      assert.equal(await seqNote.getAttribute('data-step'), '4');
      assert.match(await seqNote.textContent(), /older value can land last <on purpose> & stay/);
      assert.deepEqual(errors, []);
    } finally {
      await fresh.close();
    }

    // Import the file elsewhere: the note comes back with the run.
    await sp.goto({ scenario: 'cache-aside-read' });
    assert.equal(await tp.noteText(), null);
    await dp.importGoodFile(file, { scenario: 'stale-set-race', step: 4 });
    assert.equal(await tp.noteText(), NOTE);

    // Changed and removed, the link follows.
    await tp.el('note-remove').click();
    assert.equal(await tp.noteText(), null);
    assert.equal(new URL(await tp.shareHref()).searchParams.getAll('note').length, 0);
  });
});

test('a bad note in a link is reported under `note` and the page works', async () => {
  await withPage(async (sp) => {
    const tp = new TeachPage(sp);
    await sp.goto({ scenario: 'stale-set-race', step: 2, note: 'two:hello' });
    assert.match(await sp.loadError(), /note=two:hello/);
    assert.equal(await tp.noteText(), null);
    assert.equal(await sp.stepForward(), 3);
  });
});

test('the drawing and the sequence diagram export as valid SVG and PNG pictures', async () => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    // The pictures' code (picture.js) is not part of the first download: fetched on
    // the first save, once.
    const fetched = [];
    page.on('request', (req) => req.url().endsWith('/picture.js') && fetched.push(req.url()));
    await sp.goto({ scenario: 'stale-set-race', step: 8 });
    assert.deepEqual(fetched, [], 'picture.js is not fetched at start');
    for (const scene of ['topology', 'sequence']) {
      // The sequence diagram's code is fetched on its first use (a split chunk):
      // export once it is drawn.
      if (scene === 'sequence') await tp.showSequence();
      else await tp.el('show-topology').click();
      const svg = await tp.download('export-svg');
      assert.equal(fetched.length, 1, 'picture.js is fetched on the first save, and once');
      assert.match(svg.name, new RegExp(`^cachescope-stale-set-race-step-8-${scene === 'topology' ? 'diagram' : 'sequence'}\\.svg$`));
      const text = svg.bytes.toString('utf8');
      assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(text, /<\/svg>$/);
      assert.match(text, /style="[^"]*fill:/, 'styles are inlined');
      // The picture renders on its own (no page styles): an <img> decodes it.
      const size = await page.evaluate(async (src) => {
        const img = new Image();
        img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(src);
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, text);
      assert.ok(size[0] > 300 && size[1] > 200, `the SVG draws at ${size}`);
      assert.match(await tp.status(), /^Saved cachescope-/);

      const png = await tp.download('export-png');
      assert.match(png.name, /\.png$/);
      assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
      const width = png.bytes.readUInt32BE(16);
      const height = png.bytes.readUInt32BE(20);
      assert.deepEqual([width, height], [size[0] * 2, size[1] * 2], 'twice the drawing, for a projector');
      assert.ok(png.bytes.length > 10_000, `not blank: ${png.bytes.length} bytes`);
    }
  });
});

test('copy-link copies the share link, with a fallback when the clipboard refuses', async () => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await sp.goto({ scenario: 'stale-set-race', step: 5 });
    await tp.addNote('see here');
    await tp.el('copy-link').click();
    await page.getByText('Link copied to the clipboard.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await tp.shareHref());
    assert.match(copied, /step=5&note=5:see%20here$/);

    // No clipboard at all: the link is shown, selected, for Ctrl+C.
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
      document.execCommand = () => false;
    });
    await sp.stepForward();
    await tp.el('copy-link').click();
    const fallback = tp.el('copy-link-fallback');
    await fallback.waitFor({ state: 'visible' });
    assert.equal(await fallback.inputValue(), await tp.shareHref());
    assert.match(await tp.status(), /copy the link below/);
  });
});

test('the page title names the scenario', async () => {
  await withPage(async (sp, page) => {
    await sp.goto({ scenario: 'stale-set-race' });
    const title = await sp.el('scenario-title').innerText();
    assert.equal(await page.title(), `${title.trim()} · Cachescope`);
    await sp.openScenario('cache-aside-read');
    const other = await sp.el('scenario-title').innerText();
    assert.notEqual(other, title);
    assert.equal(await page.title(), `${other.trim()} · Cachescope`);
  });
});

test('eight lanes fit the 1280x720 column, and the lane names stay at the top of a scrolled sequence, on the page and in present mode', async () => {
  await withPage(async (sp, page) => {
    const tp = new TeachPage(sp);
    await sp.goto({ scenario: 'dual-write-crash', fix: 'outbox' });
    await sp.runToEnd();
    await tp.showSequence();
    await tp.el('sequence').and(page.locator('[data-fit]')).waitFor({ state: 'attached' });
    // Where the strip of lane names is, against its box, and how large its text is drawn.
    const names = (scope) =>
      scope.locator('[data-testid="sequence"]').evaluate((box) => {
        const strip = box.querySelector('svg.seq-sticky');
        const name = strip.querySelector('.seq-lane-name').getBoundingClientRect();
        return {
          lanes: box.querySelectorAll('svg.seq-sticky .seq-lane-name').length,
          scrollTop: box.scrollTop,
          scrollWidth: box.scrollWidth,
          clientWidth: box.clientWidth,
          boxTop: box.getBoundingClientRect().top,
          stripTop: strip.getBoundingClientRect().top,
          nameTop: name.top,
          namePx: name.height,
        };
      });
    const onPage = await names(page);
    assert.ok(onPage.lanes >= 8, `lanes: ${onPage.lanes}`);
    assert.ok(onPage.scrollWidth <= onPage.clientWidth, `no sideways scroll: ${JSON.stringify(onPage)}`);
    assert.ok(onPage.scrollTop > 0, 'the box is scrolled to the current step, at the end');
    assert.ok(Math.abs(onPage.stripTop - onPage.boxTop) <= 2, `the names stay on top: ${JSON.stringify(onPage)}`);
    // Present mode: the sequence drawn larger, the names still on top once scrolled.
    // The drawing shown (the sequence) is the one presented.
    await tp.openPresent();
    const view = tp.presentView();
    await view.getByTestId('sequence').waitFor({ state: 'visible' });
    await view.locator('[data-testid="sequence"][data-fit]').waitFor({ state: 'attached' });
    const presented = await names(view);
    assert.ok(presented.scrollTop > 0, 'scrolled to the end');
    assert.ok(Math.abs(presented.stripTop - presented.boxTop) <= 2, `names on top: ${JSON.stringify(presented)}`);
    assert.ok(presented.namePx > onPage.namePx * 1.15, `larger in present mode: ${presented.namePx} > ${onPage.namePx}`);
  }, { viewport: { width: 1280, height: 720 } });
});
