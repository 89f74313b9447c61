// Imported after tsx (node --import tsx --import ./bench/private/require-first.mjs): requires the
// files named in NETPOL_BENCH_REQUIRE_FIRST (comma-separated, absolute) before the program runs,
// so that a bench can time a program with modules loaded as an earlier version loaded them.
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
for (const file of (process.env.NETPOL_BENCH_REQUIRE_FIRST ?? '').split(',').filter((f) => f)) require(file);
