// Page object for the "drive it yourself" controls (issue 4) and the catalog's extra
// panels (issue 3), on top of ScenarioPage: what can happen next, faults, the timeline,
// branches, the share link, export / import, side by side, the learning path.
//
// Everything goes through data-testid (shared/spec/ui-contract.md), except two places
// the contract has no test id for, both named here:
//   - the "Side by side" <details> panel is found by its summary text, and its
//     right-column fix buttons by their accessible name (the fix's label);
//   - the learning path is the section with id="path".
// The state changes synchronously with a control; the only waits are for elements or
// attributes (after a navigation, an import or a download), never fixed sleeps.
import fs from 'node:fs';
import { ScenarioPage } from './ScenarioPage.mjs';

const tid = (id) => `[data-testid="${id}"]`;
const attr = (name, value) => `[${name}="${String(value).replace(/"/g, '\\"')}"]`;

export class DrivePage extends ScenarioPage {
  /** Wrap the ScenarioPage that withPage() hands out. */
  static from(sp) {
    return new DrivePage(sp.page, sp.baseURL);
  }

  // ------------------------------------------------------------------ what can happen next

  /** The next-event buttons as data: {index, kind, message, from, to, scripted, text}. */
  async nextEvents() {
    return this.el('next-event').evaluateAll((els) =>
      els.map((e, index) => ({
        index,
        kind: e.getAttribute('data-kind'),
        message: e.getAttribute('data-message'),
        from: e.getAttribute('data-from'),
        to: e.getAttribute('data-to'),
        scripted: e.getAttribute('data-scripted') === 'true',
        text: e.textContent.replace(/\s+/g, ' ').trim(),
      })),
    );
  }

  /** Click the index-th next-event button; returns the step counter after the click. */
  async fireNextEvent(index) {
    await this.el('next-event').nth(index).click();
    return this.step();
  }

  /** Click the next-event of this message id (data-message). */
  async deliver(messageId) {
    await this.page.locator(`${tid('next-event')}${attr('data-message', messageId)}`).click();
    return this.step();
  }

  /** Point at the next-event of this message: 'hover' with the mouse, or 'focus' it. */
  async pointAt(messageId, how = 'hover') {
    const button = this.page.locator(`${tid('next-event')}${attr('data-message', messageId)}`);
    if (how === 'focus') await button.focus();
    else await button.hover();
  }

  /** Move the pointer and the focus off the next-event list. */
  async pointAway() {
    await this.page.mouse.move(0, 0);
    await this.page.evaluate(() => document.activeElement?.blur());
  }

  /** The ids of the in-flight messages the diagram highlights. */
  async litMessages() {
    return this.el('in-flight').evaluateAll((els) =>
      els.filter((e) => e.classList.contains('lit')).map((e) => e.getAttribute('data-message')));
  }

  /** The ids of the in-flight messages that glide in (drawn new this step). */
  async glidingMessages() {
    return this.el('in-flight').evaluateAll((els) =>
      els.filter((e) => e.querySelector('.msg-fly')).map((e) => e.getAttribute('data-message')));
  }

  // ------------------------------------------------------------------ faults

  /** The fault button; `cache` (data-cache) names the node an `evict` strikes. */
  faultButton(fault, target, cache) {
    const node = cache === undefined ? '' : attr('data-cache', cache);
    return this.page.locator(`${tid('fault')}${attr('data-fault', fault)}${attr('data-target', target)}${node}`);
  }

  async faults() {
    return this.el('fault').evaluateAll((els) =>
      els.map((e) => ({
        fault: e.getAttribute('data-fault'),
        target: e.getAttribute('data-target'),
        cache: e.getAttribute('data-cache'),
        scripted: e.getAttribute('data-scripted') === 'true',
      })),
    );
  }

  async hasFault(fault, target, cache) {
    return (await this.faultButton(fault, target, cache).count()) > 0;
  }

  /** Inject a fault; returns the step counter after the click. */
  async injectFault(fault, target, cache) {
    await this.faultButton(fault, target, cache).click();
    return this.step();
  }

  /** The diagram's drawing of node `id`, its text with the spaces folded. */
  async nodeText(id) {
    const text = await this.page.locator(`figure.diagram ${tid('node')}${attr('data-node', id)}`).textContent();
    return text.replace(/\s+/g, ' ').trim();
  }

  async nodeStatus(id) {
    return this.page.locator(`${tid('node')}${attr('data-node', id)}`).getAttribute('data-status');
  }

  // ------------------------------------------------------------------ panels

  async #list(id, attrs) {
    return this.el(id).evaluateAll(
      (els, attrs) => els.map((e) => Object.fromEntries(attrs.map((a) => [a.replace(/^data-/, ''), e.getAttribute(a)]))),
      attrs,
    );
  }

  async outboxRows() {
    return (await this.#list('outbox-row', ['data-event-id', 'data-published'])).map((r) => ({
      eventId: r['event-id'],
      published: r.published,
    }));
  }

  async busMessages() {
    return this.#list('bus-message', ['data-event-id', 'data-key', 'data-version']);
  }

  async dlqMessages() {
    return (await this.#list('dlq-message', ['data-event-id'])).map((r) => r['event-id']);
  }

  async queueItems() {
    return this.el('queue-item').count();
  }

  /** Node ids shown in the diagram. */
  async nodeIds() {
    return (await this.nodes()).map((n) => n.node);
  }

  // ------------------------------------------------------------------ timeline and branches

  async scrubTo(n) {
    await this.el('scrubber').fill(String(n));
    return this.step();
  }

  async scrubberMax() {
    return Number(await this.el('scrubber').getAttribute('max'));
  }

  async branches() {
    return this.el('branch').evaluateAll((els) =>
      els.map((e) => ({
        id: e.getAttribute('data-branch'),
        status: e.getAttribute('data-status'),
        current: e.getAttribute('aria-current') === 'true',
      })),
    );
  }

  /** Each branch's words in the Runs panel: {id, status, current, text}. */
  async branchTexts() {
    return this.el('branch').evaluateAll((els) =>
      els.map((e) => ({
        id: e.getAttribute('data-branch'),
        status: e.getAttribute('data-status'),
        current: e.getAttribute('aria-current') === 'true',
        text: e.textContent,
      })),
    );
  }

  async currentBranch() {
    return (await this.branches()).find((b) => b.current)?.id ?? null;
  }

  async switchBranch(id) {
    await this.page.locator(`${tid('branch')}${attr('data-branch', id)}`).click();
    return this.step();
  }

  // ------------------------------------------------------------------ sharing, files

  async shareHref() {
    return this.el('share-link').getAttribute('href');
  }

  /** The share link's query parameters as an object. */
  async shareParams() {
    const href = await this.shareHref();
    return Object.fromEntries(new URL(href, this.baseURL).searchParams);
  }

  /** Open a URL (relative or absolute on this origin) and wait until it is applied. */
  async gotoHref(href) {
    await this.page.goto(new URL(href, this.baseURL).toString());
    await this.waitReady();
    return this;
  }

  /** Click export-run; returns {name, text} of the downloaded file. */
  async exportRun() {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.el('export-run').click()]);
    const file = await download.path();
    return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
  }

  /** Hand a file to import-run ({name, text}); does not wait for the outcome. */
  async importFile({ name, text }) {
    await this.el('import-run').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });
  }

  /**
   * Import a file that the page must refuse: waits for import-error naming the file
   * (the message starts with the file's name) and returns its text.
   */
  async importBadFile(file) {
    await this.importFile(file);
    const err = this.el('import-error').filter({ hasText: file.name });
    await err.waitFor({ state: 'visible' });
    return (await err.textContent()).replace(/\s+/g, ' ').trim();
  }

  /**
   * Import a good file: waits until the page shows its scenario at its cursor
   * (`expect` = {scenario, step}) and is ready.
   */
  async importGoodFile(file, expect) {
    await this.importFile(file);
    await this.waitScenario(expect.scenario);
    await this.page
      .locator(`${tid('step-counter')}${attr('data-step', expect.step)}[data-ready="true"]`)
      .waitFor({ state: 'attached' });
  }

  /** The import-error text, or null when none is shown. */
  async importError() {
    const el = this.el('import-error');
    if ((await el.count()) === 0 || !(await el.first().isVisible())) return null;
    return (await el.first().textContent()).replace(/\s+/g, ' ').trim();
  }

  // ------------------------------------------------------------------ keyboard, playback

  async playing() {
    return (await this.el('play-pause').getAttribute('aria-pressed')) === 'true';
  }

  /** Wait until data-step is not `step` (playback has moved the cursor). */
  async waitStepNot(step) {
    await this.page.locator(`${tid('step-counter')}:not(${attr('data-step', step)})`).waitFor({ state: 'attached' });
    return this.step();
  }

  /** Focus the index-th next-event button. */
  async focusNextEvent(index) {
    await this.el('next-event').nth(index).focus();
  }

  /** Focus the button of the index-th log entry. */
  async focusLogEntry(index) {
    await this.el('log-entry').nth(index).locator('button').focus();
  }

  /** Press a key on whatever has the focus; returns the step counter after it. */
  async pressFocused(key) {
    await this.page.keyboard.press(key);
    return this.step();
  }

  /** The data-testid of the focused element or its nearest ancestor that has one. */
  async focusedTestId() {
    return this.page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null);
  }

  /** Move focus off any control, so that keys go to the page's own handler. */
  async blur() {
    await this.page.evaluate(() => document.activeElement?.blur?.());
  }

  // ------------------------------------------------------------------ side by side

  sideBySide() {
    return this.page.locator('details', { has: this.page.locator('summary', { hasText: 'Side by side' }) });
  }

  async openSideBySide() {
    const det = this.sideBySide();
    if (!(await det.evaluate((d) => d.open))) await det.locator('summary').click();
    await det.locator(tid('compare-first-difference')).or(det.locator(tid('compare-row')).first()).first()
      .waitFor({ state: 'attached' });
  }

  /** The right column's fix buttons: [{label, on}] (no test id: found by role). */
  async rightColumnFixes() {
    return this.sideBySide()
      .locator('button[aria-pressed]')
      .evaluateAll((els) => els.map((e) => ({ label: e.textContent.trim(), on: e.getAttribute('aria-pressed') === 'true' })));
  }

  /**
   * Set the right column's fixes to exactly those whose labels match `labels` (RegExps
   * against the button's accessible name).
   */
  async setRightColumn(labels) {
    const buttons = this.sideBySide().locator('button[aria-pressed]');
    const n = await buttons.count();
    for (let i = 0; i < n; i++) {
      const b = buttons.nth(i);
      const label = (await b.textContent()).trim();
      const want = labels.some((re) => re.test(label));
      const on = (await b.getAttribute('aria-pressed')) === 'true';
      if (want !== on) await b.click();
    }
  }

  async compareRows() {
    return this.sideBySide()
      .locator(tid('compare-row'))
      .evaluateAll((els) =>
        els.map((e) => ({ step: Number(e.getAttribute('data-step')), differs: e.getAttribute('data-differs') === 'true' })),
      );
  }

  /** data-step of compare-first-difference, or null when there is none. */
  async compareFirstDifference() {
    const el = this.sideBySide().locator(tid('compare-first-difference'));
    if ((await el.count()) === 0) return null;
    const v = await el.first().getAttribute('data-step');
    return v === null || v === '' ? null : Number(v);
  }

  // ------------------------------------------------------------------ sandbox

  sandbox() {
    return this.page.locator('details', { has: this.page.locator('summary', { hasText: 'Sandbox' }) });
  }

  /** Open the Sandbox panel, build with its defaults, and wait until the sandbox is loaded. */
  async buildSandbox() {
    const det = this.sandbox();
    if (!(await det.evaluate((d) => d.open))) await det.locator('summary').click();
    await this.el('sandbox-build').click();
    await this.waitScenario('sandbox');
  }

  /** Opens the Sandbox panel (if closed). */
  async openSandbox() {
    const det = this.sandbox();
    if (!(await det.evaluate((d) => d.open))) await det.locator('summary').click();
  }

  /** Types `value` into the sandbox's field (`readers`, `writers`, `keys`, `ttl`) and leaves it. */
  async setSandboxField(field, value) {
    const input = this.page.locator(`${tid('sandbox-field')}${attr('data-field', field)}`);
    await input.fill(String(value));
    await input.press('Tab');
    return input.inputValue();
  }

  /** What the form says under the field, or null. */
  async sandboxFieldNote(field) {
    const note = this.page.locator(`${tid('sandbox-field-note')}${attr('data-field', field)}:not([hidden])`);
    return (await note.count()) ? (await note.innerText()).trim() : null;
  }

  /**
   * Sets a production part of the sandbox (`data-part`): a box to `true`/`false`, a
   * number field to its value.
   */
  async setSandboxPart(name, value) {
    const input = this.page.locator(`${tid('sandbox-parts')} [data-part="${name}"]`);
    if (typeof value === 'boolean') await input.setChecked(value);
    else await input.fill(String(value));
  }

  /** Sets an input of the sandbox's "more nodes" fieldset (`db-2`, `db-2-keys`, `relay-2`, …). */
  async setSandboxNode(name, value) {
    const input = this.page.locator(`${tid('sandbox-nodes')} [data-part="${name}"]`);
    if (typeof value === 'boolean') await input.setChecked(value);
    else await input.fill(String(value));
  }

  /** Chooses the sandbox's pattern. */
  async setSandboxPattern(id) {
    await this.sandbox().locator('select').first().selectOption(id);
  }

  /** Wait until scenario `id` is the one loaded and the page is ready. */
  async waitScenario(id) {
    await this.page.locator(`${tid('scenario-title')}${attr('data-scenario', id)}`).waitFor({ state: 'attached' });
    await this.waitReady();
  }

  // ------------------------------------------------------------------ learning path

  nextScenarioLink() {
    return this.el('next-scenario');
  }

  /** The scenario ids the learning path (section#path) links to, in page order. */
  async pathScenarioLinks() {
    return this.page.locator('#path a[href*="scenario="]').evaluateAll((els) =>
      els.map((a) => new URL(a.getAttribute('href'), location.href).searchParams.get('scenario')),
    );
  }

  /** Click next-scenario and wait until `id` is loaded. */
  async followNext(id) {
    await this.nextScenarioLink().click();
    await this.waitScenario(id);
  }

  async titleText() {
    return (await this.el('scenario-title').textContent()).replace(/\s+/g, ' ').trim();
  }
}
