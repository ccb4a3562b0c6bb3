// Page object for the exhaustive search's panel (docs/ui-contract-additions.md):
// explore-start, explore-cancel, explore-faults, explore-progress, explore-result,
// explore-counterexample, explore-play, explore-slice-start, explore-slice-result. The search runs in a Web Worker, so its result
// arrives later: the waits here are for attributes the page sets when a message
// arrives, never sleeps.
const tid = (id) => `[data-testid="${id}"]`;

export class ExplorePage {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
  }

  el(id) {
    return this.page.locator(tid(id));
  }

  async setFaults(n) {
    await this.el('explore-faults').fill(String(n));
  }

  async start() {
    await this.el('explore-start').click();
  }

  async cancel() {
    await this.el('explore-cancel').click();
  }

  /**
   * Clicks cancel and reads, in the page (`performance.now()`'s clock), when the click
   * happened (the event's own time stamp), when the page terminated the search's
   * worker (`Worker.prototype.terminate`, watched) and when the progress said it had
   * stopped (`data-running` turned false, seen by a MutationObserver).
   */
  async cancelTimed() {
    await this.page.evaluate((sel) => {
      const t = (window.__cancelTiming = { click: null, terminated: null, stopped: null });
      const terminate = Worker.prototype.terminate;
      Worker.prototype.terminate = function () {
        if (t.terminated === null) t.terminated = performance.now();
        return terminate.call(this);
      };
      document
        .querySelector(sel.cancel)
        .addEventListener('click', (e) => (t.click = e.timeStamp), { capture: true, once: true });
      const progress = document.querySelector(sel.progress);
      new MutationObserver((_, obs) => {
        if (progress.getAttribute('data-running') === 'false') {
          t.stopped = performance.now();
          obs.disconnect();
        }
      }).observe(progress, { attributes: true, attributeFilter: ['data-running'] });
    }, { cancel: tid('explore-cancel'), progress: tid('explore-progress') });
    await this.cancel();
    await this.page.waitForFunction(() => window.__cancelTiming.stopped !== null);
    return this.page.evaluate(() => window.__cancelTiming);
  }

  async progress() {
    return this.el('explore-progress').evaluate((e) => ({
      running: e.getAttribute('data-running') === 'true',
      states: Number(e.getAttribute('data-states')),
      depth: Number(e.getAttribute('data-depth')),
    }));
  }

  /** Whether the progress line is hidden (it shows only the search of the setup shown). */
  async progressHidden() {
    return this.el('explore-progress').isHidden();
  }

  /** Waits until the progress says no search runs (a worker message sets it). */
  async waitStopped() {
    await this.page.locator(`${tid('explore-progress')}[data-running="false"]`).waitFor({ state: 'attached' });
  }

  /**
   * How the progress line marks a search stopped by a bound: the words before its
   * numbers (CSS generated content, `none` when there are none) and its bar's colour
   * (`auto`: the browser's own).
   */
  async boundMark() {
    return this.el('explore-progress').evaluate((e) => ({
      words: getComputedStyle(e.querySelector('span'), '::before').content,
      bar: getComputedStyle(e.querySelector('progress')).accentColor,
    }));
  }

  /** A counterexample's card as the reader gets it (innerText: what copy-paste and reading by line see). */
  async cardText(invariant) {
    return this.page.locator(`${tid('explore-counterexample')}[data-invariant="${invariant}"]`).innerText();
  }

  /** Waits until the search has visited at least `states` states. */
  async waitStates(states, timeout = 60_000) {
    await this.page.waitForFunction(
      ([sel, n]) => Number(document.querySelector(sel)?.getAttribute('data-states')) >= n,
      [tid('explore-progress'), states],
      { timeout },
    );
  }

  /** Waits for the search's result and reads it. */
  async result(timeout = 120_000) {
    const r = this.el('explore-result');
    await r.waitFor({ state: 'attached', timeout });
    const attrs = await r.evaluate((e) => ({
      states: Number(e.getAttribute('data-states')),
      ends: Number(e.getAttribute('data-ends')),
      complete: e.getAttribute('data-complete') === 'true',
      violations: Number(e.getAttribute('data-violations')),
      text: e.textContent,
    }));
    attrs.counterexamples = await this.el('explore-counterexample').evaluateAll((els) =>
      els.map((e) => ({ invariant: e.getAttribute('data-invariant'), steps: Number(e.getAttribute('data-steps')) })),
    );
    return attrs;
  }

  /** The scenarios the counterexamples link to as the race they are (`explore-teaches`). */
  async teaches() {
    return this.el('explore-teaches').evaluateAll((els) => els.map((e) => e.getAttribute('data-scenario')));
  }

  /** A counterexample's Play button. */
  playButton(invariant) {
    return this.page.locator(`${tid('explore-counterexample')}[data-invariant="${invariant}"] ${tid('explore-play')}`);
  }

  /** Plays a counterexample by keyboard: the focus on its Play button, then Enter. */
  async playByKeyboard(invariant) {
    await this.playButton(invariant).focus();
    await this.page.keyboard.press('Enter');
  }

  /**
   * Types `text` into the faults field and leaves it with Tab, as a keyboard user
   * does: the field's value after, and the note beside it (null when hidden).
   */
  async typeFaults(text) {
    // Typed key by key over the selected old value, as a learner types (`fill` would
    // hide a field that rewrites itself while typed: "12" became "21", review 15).
    await this.el('explore-faults').focus();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Tab');
    const note = this.el('explore-faults-note');
    return {
      value: await this.el('explore-faults').inputValue(),
      note: (await note.isHidden()) ? null : (await note.textContent()).trim(),
    };
  }

  /** The offer, after a full search stopped at its bound, to search no-lost-event on the ghost-reader slice. */
  sliceStartButton() {
    return this.el('explore-slice-start');
  }

  async startSlice() {
    await this.sliceStartButton().click();
  }

  /** Waits for the slice's result (`explore-slice-result`) and reads it. */
  async sliceResult(timeout = 600_000) {
    const r = this.el('explore-slice-result');
    await r.waitFor({ state: 'attached', timeout });
    return r.evaluate((e) => ({
      states: Number(e.getAttribute('data-states')),
      ends: Number(e.getAttribute('data-ends')),
      complete: e.getAttribute('data-complete') === 'true',
      violations: Number(e.getAttribute('data-violations')),
      text: e.textContent,
    }));
  }

  /** Which search the progress line counts: `full` or `slice`. */
  async progressModel() {
    return this.el('explore-progress').getAttribute('data-model');
  }

  /**
   * Before the page loads: keeps the last result message of the search's worker
   * (`window.__workerResult`), which also says the worker's wasm heap
   * (`memory_bytes`), for the benchmark's figures.
   */
  async keepWorkerResults() {
    await this.page.addInitScript(() => {
      const Base = window.Worker;
      window.Worker = class extends Base {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (e) => {
            if (typeof e.data === 'string' && e.data.startsWith('kind=result')) window.__workerResult = e.data;
          });
        }
      };
    });
  }

  /** The last result message kept by `keepWorkerResults`, as key/value pairs. */
  async workerResult() {
    const text = await this.page.evaluate(() => window.__workerResult ?? '');
    return Object.fromEntries(new URLSearchParams(text));
  }

  async play(invariant) {
    await this.page.locator(`${tid('explore-counterexample')}[data-invariant="${invariant}"] ${tid('explore-play')}`).click();
  }
}
