// Peak resident memory of a large plain engine call, in a process doing nothing
// else: 2,000,000 SO(3) sets of 16 points (768 MB of float64) on 2 workers, a fresh
// result, no `into`. Linux only: reads the child's VmHWM from /proc/self/status.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = `
import { createEngine } from ${JSON.stringify(new URL('../dist/node/index.js', import.meta.url).href)};
import { readFileSync } from 'node:fs';
const [sets, n, threads] = process.argv.slice(-3).map(Number);
const data = new Float64Array(sets * n * 3);
let s = 1;
for (let i = 0; i < data.length; i++) { s = (s * 16807) % 2147483647; data[i] = s / 2147483647 - 0.5; }
const engine = await createEngine({ threads });
const t0 = performance.now();
const r = await engine.canonicalize('SO(3)', { data, dim: 3, count: sets });
const ms = performance.now() - t0;
const kb = (key) => Number(new RegExp(key + ':\\\\s+(\\\\d+)').exec(readFileSync('/proc/self/status', 'utf8'))[1]);
console.log(JSON.stringify({ inputBytes: data.byteLength, peakBytes: kb('VmHWM') * 1024, ms, ok: r.errors.every((e) => e === null) }));
await engine.close();
`;

export function benchMemory({ sets = 2_000_000, n = 16, threads = 2 } = {}) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', child, String(sets), String(n), String(threads)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const r = JSON.parse(out.trim().split('\n').pop());
  return { sets, n, threads, ...r, ratio: r.peakBytes / r.inputBytes };
}

export function memoryTable(r) {
  const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  return `| engine.canonicalize, SO(3), ${r.sets.toLocaleString('en')} sets × ${r.n} points, ${r.threads} threads, plain call | input | peak resident | peak ÷ input (target ≤ 2.5×) | time |\n| --- | --- | --- | --- | --- |\n| whole process | ${mb(r.inputBytes)} | ${mb(r.peakBytes)} | ${r.ratio.toFixed(2)}× | ${(r.ms / 1000).toFixed(2)} s |`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(memoryTable(benchMemory()));
