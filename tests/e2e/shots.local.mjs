import { startStaticServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
const srv = await startStaticServer(process.env.DIST ?? '../../dist');
const browser = await launchBrowser();
const cases = JSON.parse(process.argv[2]);
for (const c of cases) {
  const ctx = await browser.newContext({ viewport: { width: c.w, height: c.h }, colorScheme: c.dark ? 'dark' : 'light', reducedMotion: c.rm ? 'reduce' : 'no-preference' });
  const page = await ctx.newPage();
  const errs = [];
  page.on('console', (m) => m.type() === 'error' && errs.push(m.text()));
  page.on('pageerror', (e) => errs.push(String(e)));
  await page.goto(srv.url + '?' + c.q);
  await page.locator('[data-testid=step-counter][data-ready=true]').waitFor({ state: 'attached' });
  if (c.clicks) for (const sel of c.clicks) await page.locator(sel).first().click();
  if (c.eval) await page.evaluate(c.eval);
  await page.mouse.move(0, 0);
  const out = `/tmp/shots/${c.name}.png`;
  if (c.sel) await page.locator(c.sel).first().screenshot({ path: out, animations: 'disabled' }); else await page.screenshot({ path: out, fullPage: !!c.full, animations: 'disabled' });
  const sw = await page.evaluate(() => document.scrollingElement.scrollWidth);
  console.log(out, 'scrollWidth', sw, errs.length ? 'ERRORS ' + errs.join(' | ') : '');
  await ctx.close();
}
await browser.close();
await srv.close();
