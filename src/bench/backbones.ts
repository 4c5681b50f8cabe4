/**
 * The four backbones of the reference implementation's equivariance comparison
 * (its tests/model.py), written in plain JavaScript with seeded weights so the
 * suite runs the same models in Node and in browsers: each maps an n×d point set
 * (row-major float64) to n×d outputs.
 *
 * - 'mlp': d → 64 → 64 → 64 → 16 → d, ReLU after every layer but the last.
 * - 'mlp-bn-mish': the same widths, Mish activations, BatchNorm after the first
 *   three (inference-style: fixed, seeded running statistics, so a row's output
 *   does not depend on the other rows).
 * - 'gcn', 'gin': three graph convolutions (64 wide, ReLU) on the radius graph of
 *   the rows (radius 1, no self-loops), mean pooling, then 64 → 16 → d. Their one
 *   pooled d-vector is written to every output row, so outputs are n×d like the
 *   others' and the row-mean of the error equals the reference's error on its one
 *   pooled row. GCN normalizes with self-loops (D̂^−½ (A + I) D̂^−½); GIN sums
 *   (1 + ε)·h_i and its neighbours before a linear layer, ε seeded in [0, 1), and
 *   its 64 → 16 weights are N(0, 10⁻¹²) as in the reference.
 *
 * Weights are drawn like PyTorch's defaults for nn.Linear (uniform in ±1/√fan_in)
 * from `u`, a seeded uniform generator (minframe/testing's rng).
 */

export const BACKBONES = ['mlp', 'mlp-bn-mish', 'gcn', 'gin'] as const;
export type BackboneName = (typeof BACKBONES)[number];

/** A model on one point set: n×d rows in, n×d rows out (a new array). */
export type Backbone = (x: Float64Array, shape: { n: number; d: number }) => Float64Array;

/** A dense layer y = x·Wᵀ + b, W out × in row-major (PyTorch's layout). */
interface Linear {
  inDim: number;
  outDim: number;
  w: Float64Array;
  b: Float64Array;
}

function linear(u: () => number, inDim: number, outDim: number, weightStd?: number, normal?: () => number): Linear {
  const bound = 1 / Math.sqrt(inDim);
  const w = new Float64Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = weightStd !== undefined && normal ? weightStd * normal() : (2 * u() - 1) * bound;
  const b = Float64Array.from({ length: outDim }, () => (2 * u() - 1) * bound);
  return { inDim, outDim, w, b };
}

/**
 * rows × in → rows × out, into `y` (length rows·out); without the bias when `bias`
 * is false. Four rows at a time, so each weight loaded feeds four dot products
 * (about 1.4× faster in V8 than one row at a time).
 */
function apply(l: Linear, x: Float64Array, rows: number, y: Float64Array, bias = true): Float64Array {
  const { inDim, outDim, w, b } = l;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const a0 = r * inDim, a1 = a0 + inDim, a2 = a1 + inDim, a3 = a2 + inDim;
    for (let o = 0; o < outDim; o++) {
      const w0 = o * inDim;
      let s0 = bias ? b[o] : 0, s1 = s0, s2 = s0, s3 = s0;
      for (let i = 0; i < inDim; i++) {
        const wi = w[w0 + i];
        s0 += x[a0 + i] * wi;
        s1 += x[a1 + i] * wi;
        s2 += x[a2 + i] * wi;
        s3 += x[a3 + i] * wi;
      }
      y[r * outDim + o] = s0;
      y[(r + 1) * outDim + o] = s1;
      y[(r + 2) * outDim + o] = s2;
      y[(r + 3) * outDim + o] = s3;
    }
  }
  for (; r < rows; r++) {
    for (let o = 0; o < outDim; o++) {
      let s = bias ? b[o] : 0;
      for (let i = 0; i < inDim; i++) s += x[r * inDim + i] * w[o * inDim + i];
      y[r * outDim + o] = s;
    }
  }
  return y;
}

function relu(y: Float64Array): Float64Array {
  for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = 0;
  return y;
}

/**
 * Mish: x·tanh(softplus(x)) with one exp: tanh(log(1 + e)) = q/(q + 2) for
 * q = e·(e + 2), e = exp(x); past x = 20 the factor is 1 to round-off (and q would
 * overflow far enough out).
 */
function mish(y: Float64Array): Float64Array {
  for (let i = 0; i < y.length; i++) {
    const x = y[i];
    if (x > 20) continue;
    const e = Math.exp(x);
    const q = e * (e + 2);
    y[i] = (x * q) / (q + 2);
  }
  return y;
}

/** Inference-time BatchNorm over `width` channels: (x − μ)·γ/√(σ² + 10⁻⁵) + β with fixed statistics. */
function batchNorm(u: () => number, width: number): (y: Float64Array) => Float64Array {
  const scale = new Float64Array(width);
  const shift = new Float64Array(width);
  for (let c = 0; c < width; c++) {
    const mean = 0.2 * (u() - 0.5);
    const variance = 0.5 + u();
    const gamma = 0.8 + 0.4 * u();
    const beta = 0.2 * (u() - 0.5);
    scale[c] = gamma / Math.sqrt(variance + 1e-5);
    shift[c] = beta - mean * scale[c];
  }
  return (y) => {
    for (let i = 0; i < y.length; i++) {
      const c = i % width;
      y[i] = y[i] * scale[c] + shift[c];
    }
    return y;
  };
}

/** Scratch buffers by slot, reused across calls of one backbone (outputs are always new arrays). */
function scratch(): (slot: number, length: number) => Float64Array {
  const buffers: Float64Array[] = [];
  return (slot, length) => {
    if (buffers[slot]?.length !== length) buffers[slot] = new Float64Array(length);
    return buffers[slot];
  };
}

function mlp(u: () => number, d: number, bn: boolean): Backbone {
  const layers = [linear(u, d, 64), linear(u, 64, 64), linear(u, 64, 64), linear(u, 64, 16), linear(u, 16, d)];
  const norms = bn ? [batchNorm(u, 64), batchNorm(u, 64), batchNorm(u, 64)] : [];
  const act = bn ? mish : relu;
  const buf = scratch();
  return (x, { n }) => {
    let h = x;
    for (let k = 0; k < 4; k++) {
      h = act(apply(layers[k], h, n, buf(k, n * layers[k].outDim)));
      if (k < 3 && bn) h = norms[k](h);
    }
    return apply(layers[4], h, n, new Float64Array(n * d));
  };
}

/** The radius graph of the rows (|x_i − x_j| ≤ r, i ≠ j) as CSR neighbour lists. */
function radiusGraph(x: Float64Array, n: number, d: number, r: number): { start: Int32Array; nbr: Int32Array } {
  const lists: number[][] = Array.from({ length: n }, () => []);
  const r2 = r * r;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (x[i * d + a] - x[j * d + a]) ** 2;
      if (s <= r2) {
        lists[i].push(j);
        lists[j].push(i);
      }
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + lists[i].length;
  return { start, nbr: Int32Array.from(lists.flat()) };
}

function graphNet(u: () => number, normal: () => number, d: number, kind: 'gcn' | 'gin'): Backbone {
  const convs = [linear(u, d, 64), linear(u, 64, 64), linear(u, 64, 64)];
  const eps = kind === 'gin' ? [u(), u(), u()] : [];
  const fc1 = kind === 'gin' ? linear(u, 64, 16, 1e-6, normal) : linear(u, 64, 16);
  const fc2 = linear(u, 16, d);
  const buf = scratch();
  return (x, { n }) => {
    const { start, nbr } = radiusGraph(x, n, d, 1);
    const deg = Float64Array.from({ length: n }, (_, i) => 1 / Math.sqrt(start[i + 1] - start[i] + 1));
    let h = x;
    let width = d;
    for (let k = 0; k < 3; k++) {
      const l = convs[k];
      const out = buf(k, n * l.outDim);
      if (kind === 'gcn') {
        // transform, then propagate: out_i = Σ_{j ∈ N(i) ∪ {i}} h_j·W / √(d̂_i d̂_j) + b
        const t = apply(l, h, n, buf(3 + k, n * l.outDim), false);
        for (let i = 0; i < n; i++) {
          const o0 = i * l.outDim;
          for (let o = 0; o < l.outDim; o++) out[o0 + o] = l.b[o] + deg[i] * deg[i] * t[o0 + o];
          for (let e = start[i]; e < start[i + 1]; e++) {
            const j = nbr[e], c = deg[i] * deg[j];
            for (let o = 0; o < l.outDim; o++) out[o0 + o] += c * t[j * l.outDim + o];
          }
        }
      } else {
        // aggregate, then transform: out_i = ((1 + ε)·h_i + Σ_{j ∈ N(i)} h_j)·W + b
        const agg = buf(3 + k, n * width);
        for (let i = 0; i < n; i++) {
          for (let a = 0; a < width; a++) agg[i * width + a] = (1 + eps[k]) * h[i * width + a];
          for (let e = start[i]; e < start[i + 1]; e++) for (let a = 0; a < width; a++) agg[i * width + a] += h[nbr[e] * width + a];
        }
        apply(l, agg, n, out);
      }
      h = relu(out);
      width = l.outDim;
    }
    const pooled = new Float64Array(width);
    for (let i = 0; i < n; i++) for (let a = 0; a < width; a++) pooled[a] += h[i * width + a] / n;
    const y1 = relu(apply(fc1, pooled, 1, new Float64Array(16)));
    const y = apply(fc2, y1, 1, new Float64Array(d));
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) out.set(y, i * d);
    return out;
  };
}

/**
 * A backbone with weights drawn from `u` (and `normal`, N(0, 1) over the same
 * stream, for GIN's small weights), for inputs of d columns.
 */
export function backbone(name: BackboneName, d: number, u: () => number, normal: () => number): Backbone {
  switch (name) {
    case 'mlp':
      return mlp(u, d, false);
    case 'mlp-bn-mish':
      return mlp(u, d, true);
    case 'gcn':
    case 'gin':
      return graphNet(u, normal, d, name);
  }
}
