// Page object for the teaching tools: present mode, the sequence diagram, notes,
// picture export and copy-link. Test ids are listed in docs/ui-contract-additions.md.
import fs from 'node:fs';

const tid = (id) => `[data-testid="${id}"]`;

export class TeachPage {
  /** @param {import('../pages/ScenarioPage.mjs').ScenarioPage} sp */
  constructor(sp) {
    this.sp = sp;
    this.page = sp.page;
  }

  el(id) {
    return this.page.locator(tid(id));
  }

  // ------------------------------------------------------------------ present mode

  presentView() {
    return this.el('present-view');
  }

  async openPresent() {
    await this.el('present').click();
    await this.presentView().waitFor({ state: 'visible' });
  }

  /** The step shown in present mode (its `data-step`). */
  async presentStep() {
    return Number(await this.presentView().getAttribute('data-step'));
  }

  /** Presses `key` and returns the page's step counter afterwards. */
  async key(key) {
    await this.page.keyboard.press(key);
    return this.sp.step();
  }

  // ------------------------------------------------------------------ sequence diagram

  async showSequence() {
    await this.el('show-sequence').click();
    await this.el('sequence').first().waitFor({ state: 'visible' });
  }

  /** Every drawn message: {message, step, end, endStep, current}. */
  async seqMessages(scope = this.page) {
    return scope.locator(tid('seq-message')).evaluateAll((els) =>
      els.map((e) => ({
        message: e.getAttribute('data-message'),
        step: Number(e.getAttribute('data-step')),
        end: e.getAttribute('data-end'),
        endStep: e.hasAttribute('data-end-step') ? Number(e.getAttribute('data-end-step')) : null,
        current: e.getAttribute('data-current') === 'true',
      })),
    );
  }

  /** The steps of the rows marked current. */
  async seqCurrentRows(scope = this.page) {
    return scope
      .locator(`${tid('seq-step')}[data-current="true"]`)
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-step'))));
  }

  // ------------------------------------------------------------------ notes

  /** Writes `text` as the note of the step shown and saves it. */
  async addNote(text) {
    await this.el('note-edit').click();
    await this.el('note-input').fill(text);
    await this.el('note-save').click();
  }

  async noteText() {
    const note = this.el('note');
    return (await note.count()) ? (await note.innerText()).replace(/^✎\s*/, '').trim() : null;
  }

  async shareHref() {
    return this.el('share-link').getAttribute('href');
  }

  // ------------------------------------------------------------------ files

  /** Clicks `id` and returns the download's suggested name and bytes. */
  async download(id) {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.el(id).click()]);
    const file = await download.path();
    return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
  }

  async status() {
    return (await this.el('teach-status').innerText()).trim();
  }

  // ------------------------------------------------------------------ folded stretches

  /** The folded stretches in `id` (`log-fold` or `seq-fold`): {first, last, hits, expanded}. */
  async folds(id) {
    return this.el(id).evaluateAll((els) =>
      els.map((e) => {
        const button = e.matches('[data-fold]') ? e : e.querySelector('[data-fold]');
        return {
          first: Number(e.getAttribute('data-first')),
          last: Number(e.getAttribute('data-last')),
          hits: Number(e.getAttribute('data-hits')),
          expanded: button.getAttribute('aria-expanded') === 'true',
          text: e.textContent.replace(/\s+/g, ' ').trim(),
        };
      }),
    );
  }

  /** The steps of the event log's entries, in order. */
  async logSteps() {
    return this.el('log-entry').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-step'))));
  }

  /** Clicks the fold of the event log that starts at `first`. */
  async toggleLogFold(first) {
    await this.page.locator(`${tid('log-fold')}[data-first="${first}"] button`).click();
  }

  /** Clicks the row of the sequence diagram that folds the stretch starting at `first`. */
  async toggleSeqFold(first) {
    await this.page.locator(`${tid('seq-fold')}[data-first="${first}"]`).first().click();
  }

  /** The steps of the sequence diagram's own rows. */
  async seqSteps() {
    return this.page
      .locator(tid('seq-step'))
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-step'))));
  }

  /** The sequence diagram's box and its picture: widths, and the box's place. */
  async seqFit() {
    return this.el('sequence').first().evaluate((box) => {
      const svg = box.querySelector('svg');
      const r = box.getBoundingClientRect();
      return {
        boxWidth: box.clientWidth,
        svgWidth: svg.getBoundingClientRect().width,
        scrollWidth: box.scrollWidth,
        left: r.left,
        right: r.right,
        fontPx: parseFloat(getComputedStyle(svg.querySelector('.seq-event')).fontSize),
      };
    });
  }
}

