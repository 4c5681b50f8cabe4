// Benchmark of the Lorentz, unitary and linear frames against the floor.
//
// Per point set of n = 128 rows, on one thread, many sets per call: the frame
// kernel alone (lorentz_frames for O(1,3), unitary_frames for U(3), linear_frames
// for GL(3)), the public canonicalizeBatch (kernel plus checks and copies), and the
// floor for the same dimension — one fixed matrix applied to every row
// (linalg_apply, or cplx_apply for complex rows, with mStride 0), the unavoidable
// work of any canonicalization. Warm-up, then ≥ 15 timed repeats: median, min and
// max µs per set. Run `npm run build` first (it reads build/ and dist/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = new URL('../', import.meta.url);
const N = 128;
const SETS = 256;
const REPEATS = 21;
const WARMUP = 40;

/** The SIMD build, instantiated directly: the bench owns the memory layout. */
function instantiate() {
  const module = new WebAssembly.Module(readFileSync(new URL('build/minframe.wasm', ROOT)));
  const instance = new WebAssembly.Instance(module, { env: { abort() { throw new Error('minframe: WASM kernel aborted'); } } });
  const e = instance.exports;
  let top = e.mem_base();
  const alloc = (bytes) => {
    const ptr = (top + 15) & ~15;
    top = ptr + bytes;
    const have = e.memory.buffer.byteLength;
    if (top > have) e.memory.grow(Math.ceil((top - have) / 65536));
    return ptr;
  };
  const putF64 = (src) => {
    const p = alloc(src.length * 8);
    new Float64Array(e.memory.buffer, p, src.length).set(src);
    return p;
  };
  const putI32 = (src) => {
    const p = alloc(src.length * 4);
    new Int32Array(e.memory.buffer, p, src.length).set(src);
    return p;
  };
  return { e, alloc, putF64, putI32 };
}

/** Seeded standard normal values (xorshift32 + Box–Muller): the same data every run. */
function normals(count, seed) {
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < count) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/** Median, min and max µs per set of `fn` (one call computes SETS sets). */
function time(fn) {
  for (let i = 0; i < WARMUP; i++) fn();
  const per = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    fn();
    per.push(((performance.now() - t0) * 1000) / SETS);
  }
  per.sort((a, b) => a - b);
  return { median: per[per.length >> 1], min: per[0], max: per[per.length - 1] };
}

export async function benchGroups() {
  const { e, alloc, putF64, putI32 } = instantiate();
  const { canonicalizeBatch } = await import(new URL('dist/node/index.js', ROOT).href);
  const offsets = Int32Array.from({ length: SETS + 1 }, (_, i) => i * N);
  const op = putI32(offsets);
  const tol = 1e-9;

  const cases = [
    { group: 'O(1,3)', d: 4, width: 1, kernel: 'lorentz_frames' },
    { group: 'U(3)', d: 3, width: 2, kernel: 'unitary_frames' },
    { group: 'GL(3)', d: 3, width: 1, kernel: 'linear_frames' },
  ];
  const rows = [];
  for (const c of cases) {
    const { d, width } = c;
    const len = SETS * N * d * width;
    const data = normals(len, 7 + d * width);
    const x = putF64(data);
    const out = alloc(len * 8);
    const m = alloc(SETS * d * d * width * 8);
    const shift = alloc(SETS * d * 8);
    const rank = alloc(SETS * 4);
    const status = alloc(SETS * 8);
    const cond = alloc(SETS * 8);
    const fixed = putF64(normals(d * d * width, 99));
    const applyWork = alloc(2 * d * d * 8);
    let kernel;
    if (c.kernel === 'lorentz_frames') {
      const work = alloc(e.lorentz_work(d));
      kernel = () => e.lorentz_frames(x, op, SETS, d, 0, tol, work, m, rank, status, out);
    } else if (c.kernel === 'unitary_frames') {
      const work = alloc(e.unitary_work(d));
      kernel = () => e.unitary_frames(x, op, SETS, d, 0, tol, work, m, rank, out);
    } else {
      const work = alloc(e.linear_work(d));
      kernel = () => e.linear_frames(x, op, SETS, d, 0, tol, work, m, shift, rank, cond, out);
    }
    const floor = width === 2
      ? () => e.cplx_apply(x, op, SETS, d, fixed, 0, out, applyWork)
      : () => e.linalg_apply(x, op, SETS, d, fixed, 0, 0, 0, 0, 0, out, applyWork);
    const api = () => canonicalizeBatch(c.group, { data, dim: d, count: SETS });
    const k = time(kernel);
    const f = time(floor);
    const a = time(api);
    rows.push({ group: c.group, n: N, sets: SETS, kernel: k, api: a, floor: f, kernelOverFloor: k.median / f.median, apiOverFloor: a.median / f.median });
  }
  return rows;
}

function fmt(t) {
  return `${t.median.toFixed(2)} (${t.min.toFixed(2)}–${t.max.toFixed(2)})`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchGroups();
  console.log(`µs per set, n = ${N}, ${SETS} sets per call, one thread; median (min–max) of ${REPEATS}`);
  console.log('group    kernel                 canonicalizeBatch      floor                  kernel/floor  api/floor');
  for (const r of rows) {
    console.log(`${r.group.padEnd(8)} ${fmt(r.kernel).padEnd(22)} ${fmt(r.api).padEnd(22)} ${fmt(r.floor).padEnd(22)} ${r.kernelOverFloor.toFixed(2).padEnd(13)} ${r.apiOverFloor.toFixed(2)}`);
  }
}
