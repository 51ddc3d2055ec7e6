// Preloaded into a benchmarked process (node --import): writes its peak resident memory (KiB) on exit.
import { writeFileSync } from 'node:fs';
const out = process.env.STANCECHECK_BENCH_RSS;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
