// Browser benchmark of the exhaustive search (issue 10): distinct states per second in
// the search's Web Worker, on the release bundle, per scenario and fixes, read from the
// page's own result (its states and its "in N ms"). Reports; never fails on slowness.
//
//   node search-bench.mjs [distDir] [scenario[:fix,fix] ...]
//   default: the fixed benchmark delete-before-update-race:update-then-delete
import path from 'node:path';
import { startStaticServer } from './lib/server.mjs';
import { launchBrowser, DIST_DIR } from './lib/browser.mjs';

const dist = path.resolve(process.argv[2] ?? DIST_DIR);
const cases = process.argv.slice(3);
if (!cases.length) cases.push('delete-before-update-race:update-then-delete');

const server = await startStaticServer(dist);
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  console.log('scenario,fixes,states,ends,complete,violations,ms,states_per_s');
  for (const c of cases) {
    const [scenario, fix] = c.split(':');
    const q = new URLSearchParams({ scenario });
    if (fix) q.set('fix', fix);
    await page.goto(`${server.url}?${q}`);
    await page.locator('[data-testid="explore-start"]').click();
    const result = page.locator('[data-testid="explore-result"]');
    await result.waitFor({ state: 'attached', timeout: 600_000 });
    const r = await result.evaluate((e) => ({
      states: Number(e.getAttribute('data-states')),
      ends: Number(e.getAttribute('data-ends')),
      complete: e.getAttribute('data-complete'),
      violations: [...e.querySelectorAll('[data-testid="explore-counterexample"]')]
        .map((v) => `${v.getAttribute('data-invariant')}@${v.getAttribute('data-steps')}`)
        .join(' '),
      ms: Number(/ in (\d+) ms/.exec(e.textContent)?.[1]),
    }));
    const rate = r.ms > 0 ? Math.round((r.states * 1000) / r.ms) : NaN;
    console.log(`${scenario},${fix ?? ''},${r.states},${r.ends},${r.complete},${r.violations},${r.ms},${rate}`);
  }
} finally {
  await browser.close();
  await server.close();
}
