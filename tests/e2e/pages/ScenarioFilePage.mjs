// Page object for scenario files (issue 8 item 5): save the scenario on screen
// (export-scenario), open one (scenario-file), and the error a bad one gets
// (scenario-error). Test ids are documented in docs/ui-contract-additions.md.
import fs from 'node:fs';
import { DrivePage } from './DrivePage.mjs';

export class ScenarioFilePage extends DrivePage {
  static from(sp) {
    return new ScenarioFilePage(sp.page, sp.baseURL);
  }

  /** Click export-scenario; returns {name, text} of the downloaded file. */
  async exportScenario() {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.el('export-scenario').click()]);
    const file = await download.path();
    return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
  }

  /** Hand a file to scenario-file; does not wait for the outcome. */
  async chooseScenarioFile({ name, text }) {
    await this.el('scenario-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });
  }

  /** Open a good scenario file and wait until its scenario is the one loaded, at step 0. */
  async openScenarioFile(file, id) {
    await this.chooseScenarioFile(file);
    await this.page.waitForFunction(
      ({ id }) => {
        const counter = document.querySelector('[data-testid="step-counter"]');
        const title = document.querySelector('[data-testid="scenario-title"]');
        return title?.getAttribute('data-scenario') === id && counter?.getAttribute('data-step') === '0' && location.search.includes('s=');
      },
      { id },
    );
    await this.waitReady();
  }

  /** Open a file the page must refuse: waits for scenario-error naming it; returns its text. */
  async openBadScenarioFile(file) {
    await this.chooseScenarioFile(file);
    const err = this.el('scenario-error').filter({ hasText: file.name });
    await err.waitFor({ state: 'visible' });
    return (await err.textContent()).replace(/\s+/g, ' ').trim();
  }
}
