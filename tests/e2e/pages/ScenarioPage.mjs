// Page object for the Cachescope page. Everything goes through the data-testid contract
// (shared/spec/ui-contract.md): no CSS classes, no text matching of controls.
//
// The page updates its state synchronously with a control, so reads right after a
// click see the new state; the only wait is for `data-ready="true"` after navigation.

const tid = (id) => `[data-testid="${id}"]`;

/** The attributes each contract element carries (ui-contract.md, "Elements"). */
export const CONTRACT_ATTRS = {
  'scenario-title': ['data-scenario'],
  'fix-toggle': ['data-fix', 'aria-pressed'],
  'step-counter': ['data-step', 'data-steps'],
  node: ['data-node', 'data-status'],
  'in-flight': ['data-message', 'data-from', 'data-to', 'data-kind'],
  'cache-entry': ['data-key', 'data-value', 'data-version', 'data-expires-at'],
  'db-row': ['data-key', 'data-value', 'data-version'],
  'outbox-row': ['data-event-id', 'data-published'],
  'bus-message': ['data-event-id', 'data-key', 'data-version'],
  'dlq-message': ['data-event-id'],
  invariant: ['data-invariant', 'data-status'],
  metric: ['data-metric', 'data-value'],
  'next-event': ['data-kind', 'data-message', 'data-from', 'data-to', 'data-scripted'],
};
/** Elements whose text is part of the state. */
export const CONTRACT_TEXT = ['narration', 'log-entry'];
/** Elements whose order is part of the state (all others compare as sets). */
const ORDERED = new Set(['log-entry']);

export class ScenarioPage {
  /** @param {import('playwright-core').Page} page */
  constructor(page, baseURL) {
    this.page = page;
    this.baseURL = baseURL;
  }

  el(id) {
    return this.page.locator(tid(id));
  }

  // ------------------------------------------------------------------ navigation

  /** URL for the given query params ({scenario, fix: [..] | 'a,b', step, seed, run}). */
  url(params = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null) continue;
      q.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    const qs = q.toString();
    return new URL(qs ? `?${qs}` : '', this.baseURL).toString();
  }

  async goto(params = {}) {
    await this.page.goto(this.url(params));
    await this.waitReady();
    return this;
  }

  async waitReady() {
    await this.page.locator(`${tid('step-counter')}[data-ready="true"]`).waitFor({ state: 'attached' });
    // The catalog's words (summaries, cards, what the fixes do) arrive just after the
    // first paint (a split chunk); until then the page says "Loading the catalog's words…".
    await this.page.locator('main[data-words="loaded"]').waitFor({ state: 'attached' });
  }

  async scenarioLinks() {
    return this.el('scenario-link').evaluateAll((els) => els.map((e) => e.getAttribute('data-scenario')));
  }

  /** Click the scenario's link in the list and wait until it is the loaded one. */
  async openScenario(id) {
    await this.page.locator(`${tid('scenario-link')}[data-scenario="${id}"]`).first().click();
    await this.page.locator(`${tid('scenario-title')}[data-scenario="${id}"]`).waitFor({ state: 'attached' });
    await this.waitReady();
  }

  async scenarioId() {
    return this.el('scenario-title').getAttribute('data-scenario');
  }

  // ------------------------------------------------------------------ controls

  async isEnabled(id) {
    return this.el(id).isEnabled();
  }

  /** Click step-forward; returns the step counter right after the click. */
  async stepForward() {
    await this.el('step-forward').click();
    return this.step();
  }

  /** Click step-back; returns the step counter right after the click. */
  async stepBack() {
    await this.el('step-back').click();
    return this.step();
  }

  async canStepForward() {
    return this.isEnabled('step-forward');
  }

  async canStepBack() {
    return this.isEnabled('step-back');
  }

  /** Step forward by clicks until step-forward is disabled; returns the final step. */
  async stepToEnd(maxSteps = 500) {
    for (let i = 0; i <= maxSteps; i++) {
      if (!(await this.canStepForward())) return this.step();
      await this.stepForward();
    }
    throw new Error(`step-forward still enabled after ${maxSteps} steps (a run has at most 500)`);
  }

  /** Step forward n times (fails if step-forward is disabled on the way). */
  async stepForwardTimes(n) {
    for (let i = 0; i < n; i++) await this.stepForward();
    return this.step();
  }

  async runToEnd() {
    await this.el('run-to-end').click();
    return this.step();
  }

  async reset() {
    await this.el('reset').click();
    return this.step();
  }

  async playPause() {
    await this.el('play-pause').click();
  }

  async setSpeed(value) {
    const speed = this.el('speed');
    const v = value === 'max' ? await speed.getAttribute('max') : String(value);
    await speed.fill(v ?? '100');
    return v;
  }

  async press(key) {
    await this.page.keyboard.press(key);
    return this.step();
  }

  // ------------------------------------------------------------------ fixes

  fixToggle(id) {
    return this.page.locator(`${tid('fix-toggle')}[data-fix="${id}"]`);
  }

  async fixes() {
    return this.el('fix-toggle').evaluateAll((els) => els.map((e) => e.getAttribute('data-fix')));
  }

  async fixOn(id) {
    return (await this.fixToggle(id).getAttribute('aria-pressed')) === 'true';
  }

  /** Click the fix's toggle; returns whether it is on afterwards. */
  async toggleFix(id) {
    await this.fixToggle(id).click();
    return this.fixOn(id);
  }

  // ------------------------------------------------------------------ state

  async step() {
    return Number(await this.el('step-counter').getAttribute('data-step'));
  }

  /** Steps in the run once it has ended, else null. */
  async steps() {
    const v = await this.el('step-counter').getAttribute('data-steps');
    return v === null || v === '' ? null : Number(v);
  }

  async invariant(name) {
    return this.page.locator(`${tid('invariant')}[data-invariant="${name}"]`).getAttribute('data-status');
  }

  async invariants() {
    return Object.fromEntries(
      await this.el('invariant').evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-invariant'), e.getAttribute('data-status')]),
      ),
    );
  }

  async metric(name) {
    const v = await this.page.locator(`${tid('metric')}[data-metric="${name}"]`).getAttribute('data-value');
    return v === null ? null : Number(v);
  }

  async metrics() {
    return Object.fromEntries(
      await this.el('metric').evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-metric'), Number(e.getAttribute('data-value'))]),
      ),
    );
  }

  async #rows(id, attrs) {
    return this.el(id).evaluateAll(
      (els, attrs) =>
        els.map((e) => Object.fromEntries(attrs.map(([k, a]) => [k, e.getAttribute(a)]).filter(([, v]) => v !== null))),
      attrs,
    );
  }

  async cacheEntries() {
    return this.#rows('cache-entry', [
      ['key', 'data-key'],
      ['value', 'data-value'],
      ['version', 'data-version'],
      ['expiresAt', 'data-expires-at'],
    ]);
  }

  async dbRows() {
    return this.#rows('db-row', [
      ['key', 'data-key'],
      ['value', 'data-value'],
      ['version', 'data-version'],
    ]);
  }

  async nodes() {
    return this.#rows('node', [
      ['node', 'data-node'],
      ['status', 'data-status'],
    ]);
  }

  async inFlight() {
    return this.#rows('in-flight', [
      ['message', 'data-message'],
      ['from', 'data-from'],
      ['to', 'data-to'],
      ['kind', 'data-kind'],
    ]);
  }

  async narration() {
    return (await this.el('narration').textContent())?.trim() ?? '';
  }

  /** The load-error text, or null when none is shown. */
  async loadError() {
    const el = this.el('load-error');
    if ((await el.count()) === 0 || !(await el.first().isVisible())) return null;
    return (await el.first().textContent())?.trim() ?? '';
  }

  async logEntries() {
    return this.el('log-entry').evaluateAll((els) => els.map((e) => e.textContent.trim()));
  }

  /**
   * Every contract attribute (and narration / event-log text) of the state shown, as
   * plain data for deepEqual. Lists compare as sets except the event log.
   */
  async snapshot() {
    const raw = await this.page.evaluate(
      ({ attrs, texts }) => {
        const out = {};
        for (const [id, names] of Object.entries(attrs)) {
          out[id] = [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) =>
            Object.fromEntries(names.map((n) => [n, e.getAttribute(n)]).filter(([, v]) => v !== null)),
          );
        }
        for (const id of texts) {
          out[`${id}:text`] = [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) =>
            e.textContent.replace(/\s+/g, ' ').trim(),
          );
        }
        return out;
      },
      { attrs: CONTRACT_ATTRS, texts: CONTRACT_TEXT },
    );
    for (const [k, v] of Object.entries(raw)) {
      if (!ORDERED.has(k.replace(/:text$/, ''))) {
        raw[k] = v.map((x) => JSON.stringify(x)).sort().map((s) => JSON.parse(s));
      }
    }
    return raw;
  }

  async screenshot(path) {
    await this.page.screenshot({ path, fullPage: false, animations: 'disabled' });
  }
}
