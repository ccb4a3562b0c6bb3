// Quiet-mode simulated events per second in headless Chromium, beside the native
// figure of the same workload, with the wasm/native ratio (issue 8's benchmark).
// Reports; never fails on slowness (exit 1 only when it could not measure).
//
// Like for like: the browser runs `sim::bench`'s catalog mix (the code that
// examples/bench.rs runs natively) in the search's Web Worker, which trunk builds with
// the `search` profile (opt-level 3, index.html); the native figure is
// `cargo run --profile search --example bench N quiet`, the same profile, the same N,
// hence the same events (the script checks that the counts agree). Both are wall-clock
// rates of one thread; the worker times its run with performance.now(), after building
// the start states (not simulated events), as the example times its own with Instant.
//
// QUIET_BENCH_PROFILE=release compares the page's profile instead: the worker's code
// built for size as the page is (opt-level "z", wasm-opt -Os; scripts/bench.sh builds
// it into dist/bench-size/) against `cargo run --release --example bench`.
//
//   node quiet-bench.mjs [distDir]
//   env: QUIET_BENCH_EVENTS (8000000), QUIET_BENCH_RUNS (3), QUIET_BENCH_MODE
//        (quiet | narrated), QUIET_BENCH_PROFILE (search | release),
//        QUIET_BENCH_NATIVE=0 to skip the native runs, CHROMIUM
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startStaticServer } from './lib/server.mjs';
import { launchBrowser, DIST_DIR, REPO_ROOT } from './lib/browser.mjs';

const dist = path.resolve(process.argv[2] ?? DIST_DIR);
const EVENTS = Number(process.env.QUIET_BENCH_EVENTS ?? 8_000_000);
const RUNS = Number(process.env.QUIET_BENCH_RUNS ?? 3);
const MODE = process.env.QUIET_BENCH_MODE ?? 'quiet';
const NATIVE = process.env.QUIET_BENCH_NATIVE !== '0';
const PROFILE = process.env.QUIET_BENCH_PROFILE ?? 'search';
if (!['search', 'release'].includes(PROFILE)) throw new Error(`QUIET_BENCH_PROFILE=${PROFILE}: search or release`);
const WORKER = PROFILE === 'search' ? 'explore_worker_loader.js' : 'bench-size/explore_worker_loader.js';
const CARGO_PROFILE = PROFILE === 'search' ? ['--profile', 'search'] : ['--release'];
const BUILT = PROFILE === 'search' ? 'search profile, opt-level 3' : 'size, as the page: opt-level z';

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const millions = (r) => `${(r / 1e6).toFixed(2)} million`;
const pairs = (text) => Object.fromEntries(text.split('&').map((p) => p.split('=')));

/** One run of the mix in a fresh worker: {events, runs, variants, ms} or an error. */
async function browserRun(page, events) {
  const reply = await page.evaluate(
    ({ url, request }) =>
      new Promise((resolve) => {
        const w = new Worker(url);
        w.onerror = (e) => resolve(`kind=error&message=${e.message}`);
        w.onmessage = (e) => {
          const text = String(e.data);
          if (text === 'kind=ready') return w.postMessage(request);
          w.terminate();
          resolve(text);
        };
      }),
    { url: WORKER, request: `kind=bench&events=${events}&mode=${MODE}` },
  );
  const r = pairs(reply);
  if (r.kind !== 'bench') throw new Error(`the worker answered ${reply}`);
  return { events: Number(r.events), runs: Number(r.runs), variants: Number(r.variants), ms: Number(r.ms) };
}

/** One native run of examples/bench.rs with the search profile. */
function nativeRun(events) {
  const out = execFileSync(
    'cargo',
    ['run', ...CARGO_PROFILE, '--quiet', '--example', 'bench', '--', String(events), MODE],
    { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Its rate to the event (its seconds are printed to 10 ms only).
  const m = new RegExp(`native ${MODE}: (\\d+) events in (\\d+) runs, ([\\d.]+) s, (\\d+) events/s`).exec(out);
  if (!m) throw new Error(`could not read the native bench's output:\n${out}`);
  const cpu = /, (\d+) events per CPU second/.exec(out);
  return { events: Number(m[1]), runs: Number(m[2]), secs: Number(m[3]), rate: Number(m[4]), perCpu: cpu ? Number(cpu[1]) : null };
}

let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
} catch {}
console.log(`quiet-bench: ${MODE} mode, ${EVENTS} events per run, ${RUNS} runs each, ${new Date().toISOString()}, commit ${commit}`);
console.log(`  load average at start: ${load()}`);

let exitCode = 0;
const server = await startStaticServer(dist);
const browser = await launchBrowser();
const browserRates = [];
let browserEvents = null;
try {
  const page = await browser.newPage();
  // Any page of the origin starts the worker; the page itself stays idle.
  await page.goto(server.url);
  // A short warm-up, so that V8 has tiered the worker's wasm up (its counts not kept).
  await browserRun(page, Math.max(1, Math.floor(EVENTS / 10)));
  for (let i = 0; i < RUNS; i++) {
    const r = await browserRun(page, EVENTS);
    const rate = (r.events * 1000) / r.ms;
    browserRates.push(rate);
    browserEvents = r.events;
    console.log(
      `  browser (Web Worker, ${BUILT}) run ${i + 1}: ${r.events} events in ${r.runs} runs of ${r.variants} variants, ` +
        `${(r.ms / 1000).toFixed(3)} s, ${Math.round(rate)} events/s`,
    );
  }
} catch (err) {
  console.error(`quiet-bench failed in the browser: ${err.stack || err}`);
  exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}

const nativeRates = [];
if (NATIVE && exitCode === 0) {
  try {
    for (let i = 0; i < RUNS; i++) {
      const r = nativeRun(EVENTS);
      nativeRates.push(r.rate);
      const cpu = r.perCpu ? `, ${r.perCpu} per CPU second` : '';
      console.log(
        `  native (cargo run ${CARGO_PROFILE.join(' ')} --example bench ${EVENTS} ${MODE}) run ${i + 1}: ${r.events} events in ${r.runs} runs, ` +
          `${r.secs.toFixed(2)} s, ${r.rate} events/s${cpu}`,
      );
      if (browserEvents !== null && r.events !== browserEvents) {
        console.log(`  note: the native run fired ${r.events} events, the browser's ${browserEvents}: not the same workload`);
      }
    }
  } catch (err) {
    console.error(`quiet-bench failed natively: ${err.stack || err}`);
    exitCode = 1;
  }
}

if (browserRates.length) {
  const b = median(browserRates);
  let line = `  median: browser ${millions(b)} events/s`;
  if (nativeRates.length) {
    const n = median(nativeRates);
    line += `, native ${millions(n)} events/s (wall), wasm/native ratio ${(b / n).toFixed(2)}`;
  }
  console.log(line);
}
console.log(`  load average at end: ${load()}`);
process.exit(exitCode);
