// Page object for issue 11 (one screen, where am I, keyboard, accessibility), on top
// of ScenarioPage: where elements sit in the viewport, the chapters of the timeline,
// the page's horizontal overflow, and an axe-core audit.
//
// Everything goes through data-testid (the contract, and the ids added in
// docs/ui-contract-additions.md: `chapter`, `invariant-news`).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ScenarioPage } from './ScenarioPage.mjs';

const tid = (id) => `[data-testid="${id}"]`;
const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export class ScreenPage extends ScenarioPage {
  static from(sp) {
    return new ScreenPage(sp.page, sp.baseURL);
  }

  /**
   * The elements with test id `id` that are not wholly inside the viewport, as
   * strings naming them (empty: all inside). Fails when there is none.
   */
  async outsideViewport(id) {
    const vp = this.page.viewportSize();
    const boxes = await this.el(id).evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        const name = e.getAttribute('data-node') ?? e.getAttribute('data-invariant') ?? e.tagName;
        return { name, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      }),
    );
    if (boxes.length === 0) throw new Error(`no element ${id}`);
    return boxes
      .filter((b) => b.left < 0 || b.top < 0 || b.right > vp.width + 0.5 || b.bottom > vp.height + 0.5)
      .map((b) => `${id} ${b.name} at (${Math.round(b.left)},${Math.round(b.top)})-(${Math.round(b.right)},${Math.round(b.bottom)})`);
  }

  /** The chapters on the timeline: [{step, kind, text}]. */
  async chapters() {
    return this.el('chapter').evaluateAll((els) =>
      els.map((e) => ({
        step: Number(e.getAttribute('data-step')),
        kind: e.getAttribute('data-kind'),
        text: e.getAttribute('title'),
      })),
    );
  }

  /** Click the first chapter of `kind`; returns the step counter after it. */
  async jumpToChapter(kind) {
    await this.page.locator(`${tid('chapter')}[data-kind="${kind}"]`).first().click();
    return this.step();
  }

  /** The ids of the diagram's nodes drawn as the last step's actor (class `active`). */
  async actingNodes() {
    return this.el('node').evaluateAll((els) =>
      els.filter((e) => e.classList.contains('active')).map((e) => e.getAttribute('data-node')));
  }

  /** The element that has the keyboard focus: its test id and `data-event`. */
  async focused() {
    return this.page.evaluate(() => ({
      testid: document.activeElement?.getAttribute('data-testid') ?? null,
      event: document.activeElement?.getAttribute('data-event') ?? null,
    }));
  }

  /** The text a diagram node holds (its name, note and state lines). */
  async nodeText(id) {
    return this.page.locator(`${tid('node')}[data-node="${id}"]`).evaluate((e) => e.textContent);
  }

  async counterText() {
    return (await this.el('step-counter').innerText()).replace(/\s+/g, ' ').trim();
  }

  async scrollWidth() {
    return this.page.evaluate(() => document.scrollingElement.scrollWidth);
  }

  /**
   * The row that scrolls sideways around the first element with test id `id`: whether
   * it is wider than its box, its CSS mask (the cue that it goes on), and, scrolled to
   * its end, how far the element's right edge is from the row's (negative: cut).
   */
  async sidewaysRow(id) {
    return this.el(id).first().evaluate((e) => {
      let row = e.parentElement;
      while (row && !/auto|scroll/.test(getComputedStyle(row).overflowX)) row = row.parentElement;
      if (!row) return null;
      const overflows = row.scrollWidth > row.clientWidth + 1;
      const mask = getComputedStyle(row).maskImage;
      row.scrollLeft = row.scrollWidth;
      const [r, b] = [e.getBoundingClientRect(), row.getBoundingClientRect()];
      return { overflows, mask, endGap: b.right - r.right, startGap: r.left - b.left };
    });
  }

  /**
   * The elements with test id `id` that a box around them cuts (an ancestor that clips
   * its overflow and does not hold them whole), by their text; empty: none is cut.
   */
  async cutByTheirBox(id) {
    return this.el(id).evaluateAll((els) =>
      els
        .filter((e) => {
          const r = e.getBoundingClientRect();
          for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
            const b = p.getBoundingClientRect();
            if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5 || r.left < b.left - 0.5 || r.right > b.right + 0.5) {
              return true;
            }
          }
          return false;
        })
        .map((e) => e.textContent.trim()),
    );
  }

  /** The diagram's drawn width in CSS pixels and its own width in SVG units. */
  async diagramScale() {
    return this.page.locator('figure.diagram svg').evaluate((svg) => ({
      px: svg.getBoundingClientRect().width,
      units: svg.viewBox.baseVal.width,
    }));
  }

  /** Focus the fix toggle `id` from the keyboard's point of view. */
  async focusFix(id) {
    await this.fixToggle(id).focus();
  }

  async playing() {
    return (await this.el('play-pause').getAttribute('aria-pressed')) === 'true';
  }

  /** Switch the theme through the page's own button; returns the theme now shown. */
  async setTheme(theme) {
    for (let i = 0; i < 2; i++) {
      const now = await this.page.evaluate(() => document.documentElement.getAttribute('data-theme'));
      if (now === theme) return now;
      await this.page.getByRole('button', { name: 'Switch between light and dark theme' }).click();
    }
    return this.page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  }

  /** axe-core's WCAG 2 A and AA violations on the page as it is: [{id, nodes}]. */
  async axeViolations() {
    await this.page.addScriptTag({ content: AXE_SOURCE });
    return this.page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
      }));
    });
  }
}
