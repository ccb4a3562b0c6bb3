// Browser benchmark for the release bundle in dist/ (scripts/bench.sh builds it).
// Reports; never fails on slowness (exit 1 only when it could not measure).
//
//   node bench.mjs [distDir]
//   env: BENCH_RUNS (5), BENCH_SECONDS (3), BENCH_SCENARIO (stale-set-race),
//        BENCH_JSON=path (also write the numbers as JSON), CHROMIUM
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startStaticServer } from './lib/server.mjs';
import { launchBrowser, DIST_DIR } from './lib/browser.mjs';

const dist = path.resolve(process.argv[2] ?? DIST_DIR);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const SCENARIO = process.env.BENCH_SCENARIO ?? 'stale-set-race';
const BUDGET_GZIP = 250 * 1000; // bytes of the page's .wasm + .js + .css, gzipped (the worker's not counted)
// Headless Chromium paces frames at 60 Hz, so an idle page already has rAF deltas of
// 16.7 ms: the delta budget is one 60 Hz frame plus 1 ms of jitter (p95 over it means
// frames are being dropped). The main thread's own work per frame (from the rAF
// callback until a message posted there is handled, i.e. after style, layout and
// paint) has the plain 16 ms budget.
const BUDGET_FRAME_P95 = 1000 / 60 + 1; // ms, rAF delta
const BUDGET_WORK_P95 = 16; // ms, main-thread work per frame
const READY = '[data-testid="step-counter"][data-ready="true"]';

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (n) => (n === null || n === undefined || Number.isNaN(n) ? '-' : `${n.toFixed(1)} ms`);
const quantile = (xs, q) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const median = (xs) => quantile(xs, 0.5);
const results = { dist };

// ------------------------------------------------------------------ bundle sizes
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}
if (!fs.existsSync(path.join(dist, 'index.html'))) {
  console.error(`no ${dist}/index.html: run trunk build --release first`);
  process.exit(1);
}
// The Web Worker's files (the explorer's search) load on first use: not the page's.
const files = walk(dist).filter((f) => /\.(wasm|js|css)$/.test(f) && !path.basename(f).includes('worker'));
let rawTotal = 0;
let gzTotal = 0;
console.log(`\nBundle (${dist})`);
console.log(`  ${'file'.padEnd(48)} ${'raw'.padStart(11)} ${'gzip -9'.padStart(11)}`);
results.files = [];
for (const f of files.sort()) {
  const buf = fs.readFileSync(f);
  const gz = zlib.gzipSync(buf, { level: 9 }).length;
  rawTotal += buf.length;
  gzTotal += gz;
  results.files.push({ file: path.relative(dist, f), raw: buf.length, gzip: gz });
  console.log(`  ${path.relative(dist, f).padEnd(48)} ${kib(buf.length).padStart(11)} ${kib(gz).padStart(11)}`);
}
console.log(`  ${'total'.padEnd(48)} ${kib(rawTotal).padStart(11)} ${kib(gzTotal).padStart(11)}`);
console.log(
  `  gzip total ${kib(gzTotal)} of the ${kib(BUDGET_GZIP)} budget: ${gzTotal <= BUDGET_GZIP ? 'within' : 'OVER'} ` +
    `(${((100 * gzTotal) / BUDGET_GZIP).toFixed(0)}%)`,
);
results.bundle = { raw: rawTotal, gzip: gzTotal, budgetGzip: BUDGET_GZIP, withinBudget: gzTotal <= BUDGET_GZIP };

// ------------------------------------------------------------------ browser
const server = await startStaticServer(dist);
const browser = await launchBrowser();
let exitCode = 0;
try {
  // Time to interactive: navigation start -> step-counter[data-ready=true], in a new
  // context (empty HTTP cache) each run.
  const loads = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript((sel) => {
      const check = () => {
        if (window.__readyAt === undefined && document.querySelector(sel)) window.__readyAt = performance.now();
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    }, READY);
    const t0 = Date.now();
    await page.goto(`${server.url}?scenario=${encodeURIComponent(SCENARIO)}`);
    await page.locator(READY).waitFor({ state: 'attached', timeout: 60_000 });
    const wall = Date.now() - t0;
    const m = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return {
        ready: window.__readyAt ?? null,
        responseEnd: n?.responseEnd ?? null,
        domContentLoaded: n?.domContentLoadedEventEnd ?? null,
        load: n?.loadEventEnd || null,
        transferSize: n?.transferSize ?? null,
      };
    });
    loads.push({ wall, ...m });
    await context.close();
  }
  const pick = (k) => loads.map((l) => l[k]).filter((v) => v !== null);
  console.log(`\nTime to interactive (${RUNS} runs, ?scenario=${SCENARIO}; median [min..max])`);
  for (const [label, key] of [
    ['navigation -> data-ready (in page)', 'ready'],
    ['wall clock goto -> data-ready', 'wall'],
    ['navigation timing: responseEnd', 'responseEnd'],
    ['navigation timing: DOMContentLoaded end', 'domContentLoaded'],
    ['navigation timing: load event end', 'load'],
  ]) {
    const xs = pick(key);
    console.log(`  ${label.padEnd(42)} ${ms(median(xs)).padStart(10)}  [${ms(Math.min(...xs))}..${ms(Math.max(...xs))}]`);
  }
  results.load = { runs: loads, medianReadyMs: median(pick('ready')), medianWallMs: median(pick('wall')) };

  // Frame time while playing at the highest speed.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${server.url}?scenario=${encodeURIComponent(SCENARIO)}`);
  await page.locator(READY).waitFor({ state: 'attached' });
  const speed = page.locator('[data-testid="speed"]');
  const max = (await speed.getAttribute('max')) ?? '100';
  await speed.fill(max);
  await page.locator('[data-testid="play-pause"]').click();
  const frames = await page.evaluate(
    ({ seconds }) =>
      new Promise((resolve) => {
        const q = (id) => document.querySelector(`[data-testid="${id}"]`);
        const stepOf = () => Number(q('step-counter')?.getAttribute('data-step'));
        const deltas = [];
        const work = [];
        const ch = new MessageChannel();
        let frameStart = null;
        ch.port1.onmessage = () => {
          if (frameStart !== null) work.push(performance.now() - frameStart);
          frameStart = null;
        };
        let longTasks = 0;
        try {
          new PerformanceObserver((l) => (longTasks += l.getEntries().length)).observe({ type: 'longtask' });
        } catch {}
        let steps = 0;
        let restarts = 0;
        let last = performance.now();
        let lastStep = stepOf();
        let lastChange = last;
        const end = last + seconds * 1000;
        const frame = (now) => {
          deltas.push(now - last);
          frameStart = performance.now();
          ch.port2.postMessage(0);
          last = now;
          const s = stepOf();
          if (s !== lastStep) {
            if (s > lastStep) steps += s - lastStep;
            lastStep = s;
            lastChange = now;
          }
          // At the end of the run: back to the start and play again, so the whole
          // window is spent playing.
          if (q('step-forward')?.disabled && now - lastChange > 50) {
            q('reset')?.click();
            lastStep = stepOf();
            lastChange = now;
            restarts++;
          } else if (now - lastChange > 500) {
            q('play-pause')?.click(); // reset may have paused playback
            lastChange = now;
          }
          if (now < end) requestAnimationFrame(frame);
          else resolve({ deltas: deltas.slice(1), work, steps, restarts, longTasks });
        };
        requestAnimationFrame(frame);
      }),
    { seconds: SECONDS },
  );
  await context.close();
  const d = frames.deltas;
  const p95 = quantile(d, 0.95);
  console.log(`\nFrame time while playing ${SCENARIO} at speed ${max} (max) for ${SECONDS} s`);
  console.log(
    `  frames ${d.length}, steps taken ${frames.steps} (${(frames.steps / SECONDS).toFixed(1)}/s), ` +
      `run restarts ${frames.restarts}, long tasks (>50 ms) ${frames.longTasks}`,
  );
  const w = frames.work;
  const wp95 = quantile(w, 0.95);
  const dropped = d.filter((x) => x > 1.5 * (1000 / 60)).length;
  console.log(
    `  rAF delta: median ${ms(median(d))}, p95 ${ms(p95)}, max ${ms(Math.max(...d))}, ${dropped} frames over 25 ms; ` +
      `budget p95 <= ${BUDGET_FRAME_P95.toFixed(1)} ms: ${p95 <= BUDGET_FRAME_P95 ? 'within' : 'OVER'}`,
  );
  console.log(
    `  main-thread work per frame: median ${ms(median(w))}, p95 ${ms(wp95)}, max ${ms(Math.max(...w))}; ` +
      `budget p95 <= ${BUDGET_WORK_P95} ms: ${wp95 <= BUDGET_WORK_P95 ? 'within' : 'OVER'}`,
  );
  if (frames.steps === 0) console.log('  note: no step was taken while "playing": check play-pause/speed');

  // Simulated events per second in the browser: a fresh page per scenario, then one
  // click on run-to-end; the click handler runs the whole simulation synchronously,
  // so the time around .click() is the simulation's (the DOM update follows in a
  // microtask and is timed separately, to the next animation frame).
  {
    const ids = ['ttl-jitter', 'stampede', 'poison-event', 'hybrid', 'outbox', 'stale-set-race'];
    let events = 0;
    let simMs = 0;
    let paintMs = 0;
    for (const id of ids) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const pg = await ctx.newPage();
      await pg.goto(`${server.url}?scenario=${id}`);
      await pg.locator(READY).waitFor({ state: 'attached' });
      const m = await pg.evaluate(
        () =>
          new Promise((resolve) => {
            const t0 = performance.now();
            document.querySelector('[data-testid="run-to-end"]').click();
            const t1 = performance.now();
            requestAnimationFrame(() => {
              const steps = Number(document.querySelector('[data-testid="step-counter"]').getAttribute('data-step'));
              resolve({ steps, sim: t1 - t0, paint: performance.now() - t1 });
            });
          }),
      );
      events += m.steps;
      simMs += m.sim;
      paintMs += m.paint;
      await ctx.close();
    }
    const rate = simMs > 0 ? (events / simMs) * 1000 : NaN;
    console.log(`\nSimulated events in the browser (run-to-end on ${ids.join(', ')})`);
    console.log(
      `  ${events} events in ${ms(simMs)} of simulation: ${rate.toFixed(0)} events/s ` +
        `(including recording every state for stepping back); DOM update after: ${ms(paintMs)} in all`,
    );
    results.browserEvents = { scenarios: ids, events, simMs, eventsPerSecond: rate, paintMs };
  }
  if (errors.length) console.log(`  page errors while playing: ${errors.join(' | ')}`);
  results.frames = {
    speed: max,
    seconds: SECONDS,
    count: d.length,
    medianMs: median(d),
    p95Ms: p95,
    maxMs: Math.max(...d),
    droppedFrames: dropped,
    workMedianMs: median(w),
    workP95Ms: wp95,
    steps: frames.steps,
    longTasks: frames.longTasks,
    withinBudget: p95 <= BUDGET_FRAME_P95 && wp95 <= BUDGET_WORK_P95,
    errors,
  };
} catch (err) {
  console.error(`benchmark failed: ${err.stack || err}`);
  exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
process.exit(exitCode);
