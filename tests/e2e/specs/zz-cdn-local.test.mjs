// Local look at the CDN edge in the page (not committed).
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, REPO_ROOT } from '../lib/harness.mjs';
import { ScenarioFilePage } from '../pages/ScenarioFilePage.mjs';
const { withPage } = useApp();
function cdn() {
  const file = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'src/sim/scenarios/cache-aside-write.json'), 'utf8'));
  file.id = 'through-a-cdn';
  file.settings.topology = [ { id: 'cdn', service: 'service' }, { id: 'reader', service: 'cdn' } ];
  return { name: 'through-a-cdn.json', text: JSON.stringify(file, null, 2) };
}
test('cdn', async () => {
  const errors = [];
  await withPage(async (sp, page) => {
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const fp = ScenarioFilePage.from(sp);
    await sp.goto({ scenario: 'cache-aside-write' });
    await fp.openScenarioFile(cdn(), 'through-a-cdn');
    await page.screenshot({ path: '/tmp/cdnshots/0.png' });
    await sp.stepForwardTimes(11);
    await page.screenshot({ path: '/tmp/cdnshots/11.png' });
    await sp.stepToEnd();
    await page.screenshot({ path: '/tmp/cdnshots/end.png' });
    const nodes = await sp.nodes();
    console.log(JSON.stringify(nodes));
    console.log(JSON.stringify(await sp.invariants()));
    console.log('errors', JSON.stringify(errors));
  }, { viewport: { width: 1440, height: 900 } });
});
