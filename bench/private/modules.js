// Preloaded into a process the bench runs (node --require): at exit, writes to the file named by
// NETPOL_BENCH_MODULES what the process loaded through require (modules, those of zod, and the
// bytes of their files) and its CPU time, or the CPU and wall time of the part of the program
// that timed itself (globalThis.netpolBenchPart = { cpuMs, wallMs }), as JSON.
'use strict';
const fs = require('fs');
const out = process.env.NETPOL_BENCH_MODULES;
if (out) {
  process.on('exit', () => {
    const files = Object.keys(require.cache);
    let bytes = 0;
    for (const f of files) {
      try {
        bytes += fs.statSync(f).size;
      } catch {
        // a module without a file of its own (a built-in loaded through a hook)
      }
    }
    const zod = files.filter((f) => f.replace(/\\/g, '/').includes('/node_modules/zod/')).length;
    const r = process.resourceUsage();
    // a program that times a part of itself leaves the figures in globalThis.netpolBenchPart
    const part = globalThis.netpolBenchPart;
    const cpuMs = part ? part.cpuMs : (r.userCPUTime + r.systemCPUTime) / 1000;
    fs.writeFileSync(out, JSON.stringify({ modules: files.length, zod, bytes, cpuMs, wallMs: part ? part.wallMs : undefined }));
  });
}
