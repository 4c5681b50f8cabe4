// Averaging at the speed of the frames: the wrappers with a free model (the identity;
// a sum for invariants) against canonicalizeBatch with `into` on the same batch:
// equivariant with batchModel, equivariant per input, invariant per input and with
// batchModel (the sums of the stacked forms, one pass), timed side
// by side (bench/lib.mjs timeInterleaved). The sums run four partial sums, as a sum
// of many values is written where speed matters: one running total is a chain of
// n·d dependent additions, which alone cost 0.3–0.7× the frames here. They are not
// free even so, and are timed alone on the same canonical forms, with the
// invariant's overhead reported without them as well. The two passes a batch model's
// wrapper is made of are timed alone too: the frames as the wrapper computes them
// (framedHere: a large batch's stay in WASM memory) and the mapping back of outputs
// that are the canonical batch itself (Framed.restore, reading them in place).
import { canonicalizeBatch, equivariant, invariant } from '../dist/node/index.js';
import { framedHere, kernels, kindOf } from '../dist/node/internal.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeInterleaved, fmt, ratio, table } from './lib.mjs';

const identity = (x) => x;
const stackedIdentity = (b) => b.data;
/** x[from .. to) summed in four interleaved partial sums. */
const sumOf = (x, from, to) => {
  let a = 0, b = 0, c = 0, d = 0;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    a += x[i];
    b += x[i + 1];
    c += x[i + 2];
    d += x[i + 3];
  }
  for (; i < to; i++) a += x[i];
  return a + b + (c + d);
};
/** The free invariant model of the benches: x summed (four partial sums). */
export const sum = (x) => sumOf(x, 0, x.length);
// the same sums, one per input, over the stacked canonical forms
const stackedSum = ({ data, dim, offsets, count }) => {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = sumOf(data, offsets[i] * dim, offsets[i + 1] * dim);
  return out;
};

export async function benchAveraging({ values = 1 << 19, repeat = 21 } = {}) {
  const cases = [['O(3)', 16], ['O(3)', 128], ['SE(3)', 16], ['SE(3)', 128], ['S(n) x O(3)', 32]];
  const rows = [];
  for (const [spec, n] of cases) {
    const count = Math.floor(values / (n * 3));
    const batch = { data: gaussianMatrix(gaussian(rng(5)), count * n, 3), dim: 3, count };
    let into = canonicalizeBatch(spec, batch);
    const eq = equivariant(spec, stackedIdentity, { batchModel: true, output: 'points' });
    let out = await eq.batch(batch);
    const per = equivariant(spec, identity, { output: 'points' });
    let out2 = await per.batch(batch);
    const inv = invariant(spec, sum);
    const invStacked = invariant(spec, stackedSum, { batchModel: true });
    const rowLen = n * 3;
    const mapped = new Float64Array(into.canonical.length);
    const { G, kind } = kindOf(spec);
    let framed = framedHere(kind, G, batch, 1e-9, kernels());
    const t = await timeInterleaved({
      frames: () => (into = canonicalizeBatch(spec, batch, { into })),
      stacked: async () => (out = await eq.batch(batch, { into: out })),
      perInput: async () => (out2 = await per.batch(batch, { into: out2 })),
      invariant: () => inv.batch(batch),
      invariantStacked: () => invStacked.batch(batch),
      // the sum alone, on the canonical forms as the wrapper hands them over
      model: () => {
        const c = into.canonical;
        let s = 0;
        for (let i = 0; i < count; i++) s += sum(new Float64Array(c.buffer, c.byteOffset + i * rowLen * 8, rowLen));
        return s;
      },
      // the stacked sums alone, on the canonical batch as the wrapper hands it over
      stackedModel: () => stackedSum({ data: into.canonical, dim: 3, offsets: into.offsets, count }),
      wrapperFrames: () => (framed = framedHere(kind, G, batch, 1e-9, kernels(), framed)),
      restore: () => framed.restore(framed.stacked().data, 3, 'points', mapped),
    }, { items: count, repeat });
    rows.push({ spec, n, count, ...t });
  }
  return { rows };
}

export function averagingTable({ rows }) {
  return table(
    ['group, n', 'canonicalizeBatch with into µs/set', 'equivariant, batchModel µs/set', '÷ frames (target ≤ 1.5×)', 'the wrapper\'s frames alone µs/set', 'mapping back alone µs/set', '(wrapper\'s frames + mapping back) ÷ frames', 'equivariant, per input µs/set', '÷ frames (≤ 2.5×)', 'invariant (a sum) µs/set', '÷ frames (≤ 1.3×)', 'the sum alone µs/set', '(invariant − sum) ÷ frames', 'invariant, batchModel (the sums) µs/set', '÷ frames (≤ 1.3×)', 'the sums alone µs/set', '(invariant, batchModel − the sums) ÷ frames'],
    rows.map((r) => [
      `${r.spec}, n = ${r.n}`, fmt(r.frames), fmt(r.stacked), ratio(r.stacked.median, r.frames.median),
      fmt(r.wrapperFrames), fmt(r.restore), ratio(r.wrapperFrames.median + r.restore.median, r.frames.median),
      fmt(r.perInput), ratio(r.perInput.median, r.frames.median), fmt(r.invariant), ratio(r.invariant.median, r.frames.median),
      fmt(r.model), ratio(r.invariant.median - r.model.median, r.frames.median),
      r.invariantStacked ? fmt(r.invariantStacked) : '—', r.invariantStacked ? ratio(r.invariantStacked.median, r.frames.median) : '—',
      r.stackedModel ? fmt(r.stackedModel) : '—', r.stackedModel ? ratio(r.invariantStacked.median - r.stackedModel.median, r.frames.median) : '—',
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(averagingTable(await benchAveraging()));
}
