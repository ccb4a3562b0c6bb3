// Browser benchmark of the exhaustive search (issue 10): distinct states per second in
// the search's Web Worker, on the release bundle, per scenario and fixes, read from the
// page's own result (its states and its "in N ms"). Reports; never fails on slowness.
//
//   node search-bench.mjs [distDir] [scenario[:fix,fix] ...]
//   default: the fixed benchmark delete-before-update-race:update-then-delete
//
// Per case also the CPU time the browser's processes took (Linux: user + system time of
// this script's descendant processes, from /proc, read before the page loads and after
// the result is shown): page load, the page's own work and the worker's search, so an
// upper bound on the worker's CPU (a run of `cache-aside-read`, 15 states, measures the
// rest); and the load average when the case ended. `-` where /proc is not readable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStaticServer } from './lib/server.mjs';
import { launchBrowser, DIST_DIR } from './lib/browser.mjs';

const dist = path.resolve(process.argv[2] ?? DIST_DIR);
const cases = process.argv.slice(3);
if (!cases.length) cases.push('delete-before-update-race:update-then-delete');

/** CPU milliseconds of this process's descendants so far (live ones, and the ones they
 * reaped), or null off Linux. */
function browserCpuMs() {
  try {
    const parent = new Map();
    const ticks = new Map();
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let stat;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // Fields after the command name (which may hold spaces): state is field 3.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, f[1]);
      // utime, stime, cutime, cstime: fields 14 to 17.
      ticks.set(pid, Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
    }
    let sum = 0;
    for (const [pid, t] of ticks) {
      let p = parent.get(pid);
      // Bounded: a parent chain ends at pid 1 (or 0).
      for (let hops = 0; p && p !== '0' && hops < 64; hops++) {
        if (p === String(process.pid)) {
          sum += t;
          break;
        }
        p = parent.get(p);
      }
    }
    // The kernel's USER_HZ is 100 on Linux.
    return sum * 10;
  } catch {
    return null;
  }
}

const server = await startStaticServer(dist);
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  console.log(
    'scenario,fixes,states,ends,complete,violations,ms,states_per_s,browser_cpu_ms,load_avg',
  );
  for (const c of cases) {
    const [scenario, fix] = c.split(':');
    const q = new URLSearchParams({ scenario });
    if (fix) q.set('fix', fix);
    const cpuBefore = browserCpuMs();
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
      // "in 812 ms", or past a second "in 1.9 s" (to the tenth: `verdict::duration`).
      ms: ((m) => (m ? (m[2] === 's' ? Math.round(Number(m[1].replace(/,/g, '')) * 1000) : Number(m[1])) : NaN))(
        / in ([\d,]+(?:\.\d)?) (ms|s)\b/.exec(e.textContent),
      ),
    }));
    const cpuAfter = browserCpuMs();
    const cpu = cpuBefore === null || cpuAfter === null ? '-' : cpuAfter - cpuBefore;
    const load = os.loadavg()[0].toFixed(2);
    const rate = r.ms > 0 ? Math.round((r.states * 1000) / r.ms) : NaN;
    console.log(
      `${scenario},${fix ?? ''},${r.states},${r.ends},${r.complete},${r.violations},${r.ms},${rate},${cpu},${load}`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
