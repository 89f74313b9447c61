// Preloaded into a process the bench runs (node --require): at exit, writes the process's peak
// resident memory and CPU time as JSON to the file named by NETPOL_BENCH_RUSAGE.
'use strict';
const fs = require('fs');
const out = process.env.NETPOL_BENCH_RUSAGE;
if (out) {
  process.on('exit', () => {
    const r = process.resourceUsage();
    fs.writeFileSync(out, JSON.stringify({ maxRssKb: r.maxRSS, userMs: r.userCPUTime / 1000, systemMs: r.systemCPUTime / 1000 }));
  });
}
