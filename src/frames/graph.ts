/**
 * Minimal frames for graphs (docs/architecture.md): `graph` (unweighted, undirected) and
 * `weighted-graph` (real weights clustered into edge colours with the relative
 * tolerance), both with optional vertex colours.
 *
 * The frame of A is h·Aut(c) with c = P·A·Pᵀ the canonical form (P from the
 * canonical labeling). The model runs once, on c; its output is averaged over
 * Aut(c) in closed form — node outputs over vertex orbits, edge outputs over orbits
 * on ordered pairs — and mapped back to A's vertex order. The group is enumerated
 * only on request, up to a cap.
 */
import { inputRangeError, inputTypeError, optionRangeError } from '../errors.js';
import { DEFAULT_TOL } from '../groups.js';
import { checkCap, checkTol, DEFAULT_ELEMENT_CAP } from '../batch.js';
import { canonicalF64, canonicalLabelingOf, canonicalLabelings, checkArray, type CanonicalLabeling, type GraphInput } from '../graphs/canon.js';
import { kernels, withArena, type Kernels } from '../wasm/module.js';
import { clusterIds } from './cluster.js';

export interface GraphFrameOptions {
  n: number;
  /** Vertex colour ids (integers), length n. */
  colors?: ArrayLike<number>;
  /** Real weights clustered into edge colours with `tol` (group 'weighted-graph'). */
  weighted?: boolean;
  /** Relative tolerance for weighted graphs (default 1e-9), scaled by max |A|. */
  tol?: number;
}

export { DEFAULT_ELEMENT_CAP };

export interface GraphFrame {
  group: 'graph' | 'weighted-graph';
  n: number;
  /** c = P·A·Pᵀ, n×n row-major, with A's own values. */
  canonical: Float64Array;
  /** The canonical labeling: canonical vertex i is input vertex permutation[i]. */
  permutation: Int32Array;
  /** |Aut(A)| = |frame| (a float past 2^53; see sizeExact). */
  size: number;
  sizeExact: bigint;
  /** orbits[v] = smallest vertex of v's orbit under Aut(A) (input labels). */
  orbits: Int32Array;
  /** Generators of Aut(A), each v ↦ g[v] (input labels). */
  generators: Int32Array[];
  /** Orbit id of each ordered pair (i, j) under Aut(A), n×n (the smallest pair index i·n + j of the orbit). */
  pairOrbits(): Int32Array;
  /**
   * Node outputs of the model on `canonical` (n rows of `dim`, canonical order),
   * averaged over Aut(c) and returned in input vertex order (in `out` when given:
   * a Float64Array of y's length, which may be y itself).
   */
  averageNodes(y: ArrayLike<number>, dim?: number, out?: Float64Array): Float64Array;
  /** Edge outputs (n×n entries of `dim`, canonical order), averaged over Aut(c), in input order. */
  averageEdges(y: ArrayLike<number>, dim?: number, out?: Float64Array): Float64Array;
  /** Every element of Aut(A) as a permutation; RangeError when |Aut| > cap. */
  elements(cap?: number): Int32Array[];
  /** Always null: graph frames carry no accuracy warnings (the field every single result has). */
  warning: null;
}

/** Validate weights (finite, symmetric within tol) and turn them into edge colour ids. */
function weightColours(a: ArrayLike<number>, n: number, tol: number, input: number, k: Kernels): Int32Array {
  checkArray(input, 'adjacency', a);
  if (a.length !== n * n) throw inputRangeError(input, `adjacency must have n·n = ${n * n} entries, got ${a.length}`);
  let scale = 0;
  for (let i = 0; i < n * n; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw inputRangeError(input, `adjacency must be finite, A[${Math.floor(i / n)}][${i % n}] = ${x}`);
    scale = Math.max(scale, Math.abs(x));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(a[i * n + j] - a[j * n + i]) > tol * scale) {
        throw inputRangeError(input, `graph adjacency must be symmetric (A[${i}][${j}] = ${a[i * n + j]}, A[${j}][${i}] = ${a[j * n + i]})`);
      }
    }
  }
  // symmetrize before clustering so both directions land in one cluster
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym[i * n + j] = i === j ? a[i * n + i] : (a[i * n + j] + a[j * n + i]) / 2;
  return clusterIds(sym, tol, { zero: true }, k);
}

/** Graph frames of a batch in one canonical-labeling call. Errors name the input index. */
export function graphFrames(inputs: { adjacency: ArrayLike<number>; options: GraphFrameOptions }[], k: Kernels = kernels()): GraphFrame[] {
  const prepared: GraphInput[] = inputs.map(({ adjacency, options }, i) => graphInput(adjacency, options, i, k));
  const labelings = canonicalLabelings(prepared, k);
  return labelings.map((l, i) => makeFrame(inputs[i].adjacency, l, inputs[i].options.weighted === true, k));
}

/** The labeling input of one graph: a weighted graph's weights clustered into edge colours. */
function graphInput(adjacency: ArrayLike<number>, options: GraphFrameOptions, i: number, k: Kernels): GraphInput {
  const tol = checkTol(options.tol, DEFAULT_TOL);
  if (!options.weighted) return { adjacency, n: options.n, colors: options.colors };
  if (typeof options.n !== 'number' || !Number.isInteger(options.n)) throw inputTypeError(i, `n must be an integer, got ${String(options.n)}`);
  if (options.n < 1) throw inputRangeError(i, `a graph needs at least one vertex, got n = ${options.n}`);
  return { adjacency: weightColours(adjacency, options.n, tol, i, k), n: options.n, colors: options.colors };
}

/** The graph frame of one input (graphFrames on one graph, without the arrays around it). */
export function graphFrame(adjacency: ArrayLike<number>, options: GraphFrameOptions, k: Kernels = kernels()): GraphFrame {
  return makeFrame(adjacency, canonicalLabelingOf(graphInput(adjacency, options, 0, k), k), options.weighted === true, k);
}

function makeFrame(a: ArrayLike<number>, l: CanonicalLabeling, weighted: boolean, k: Kernels): GraphFrame {
  if (!weighted) return new LabeledFrame(l, false, null, k);
  // a weighted graph's values are its own, read now (the input may change after the call)
  const n = l.n;
  const p = l.labeling;
  const canonical = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) canonical[i * n + j] = a[p[i] * n + p[j]];
  return new LabeledFrame(l, true, canonical, k);
}

/**
 * A graph frame over its canonical labeling: an unweighted graph's canonical form
 * (its values are its edge colour ids: the labeling's form, P·A·Pᵀ), permutation,
 * orbits and generators are read from the labeling on first access, which builds
 * them then (src/graphs/canon.ts); pair orbits and elements are made on request.
 */
class LabeledFrame implements GraphFrame {
  readonly group: 'graph' | 'weighted-graph';
  readonly n: number;
  readonly size: number;
  readonly warning = null;
  // (# fields: a frame's own keys are its public fields alone)
  readonly #l: CanonicalLabeling;
  readonly #k: Kernels;
  #form: Float64Array | null;
  #pairs: Int32Array | null = null;

  /** `form`: the canonical form when made at once (weighted graphs), else null. */
  constructor(l: CanonicalLabeling, weighted: boolean, form: Float64Array | null, k: Kernels) {
    this.group = weighted ? 'weighted-graph' : 'graph';
    this.n = l.n;
    this.size = l.size;
    this.#l = l;
    this.#k = k;
    this.#form = form;
  }

  get canonical(): Float64Array {
    return (this.#form ??= canonicalF64(this.#l));
  }

  get sizeExact(): bigint {
    return this.#l.sizeExact;
  }

  get permutation(): Int32Array {
    return this.#l.labeling;
  }

  get orbits(): Int32Array {
    return this.#l.orbits;
  }

  get generators(): Int32Array[] {
    return this.#l.generators;
  }

  pairOrbits(): Int32Array {
    return (this.#pairs ??= orbitsOnPairs(this.n, this.#l.generators, this.#k));
  }

  averageNodes(y: ArrayLike<number>, dim = 1, out?: Float64Array): Float64Array {
    return averageGraphOutputs([{ permutation: this.permutation, orbits: this.orbits }], y, dim, 'nodes', this.#k, out);
  }

  averageEdges(y: ArrayLike<number>, dim = 1, out?: Float64Array): Float64Array {
    return averageGraphOutputs([{ permutation: this.permutation, orbits: this.pairOrbits() }], y, dim, 'edges', this.#k, out);
  }

  elements(cap = DEFAULT_ELEMENT_CAP): Int32Array[] {
    return enumerate(this.n, this.#l.generators, this.sizeExact, cap);
  }
}

/** avg_orbits' flag (assembly/frames/average.ts): the items are ordered pairs. */
const AVG_PAIRS = 1;

/**
 * What averaging needs of one graph's frame: its canonical labeling (canonical vertex
 * i is input vertex permutation[i]; n = its length) and the orbit ids, in input
 * labels, of the items averaged — a GraphFrame's `orbits` for node outputs, its
 * pairOrbits() for edge outputs.
 */
export interface GraphOrbits {
  permutation: Int32Array;
  orbits: Int32Array;
}

/**
 * Outputs of the model on the canonical forms of several graphs, averaged over each
 * graph's automorphism group and returned in input order, in one avg_orbits call.
 * 'nodes': n rows of `dim` values per graph; 'edges': n×n entries of `dim` (the
 * ordered pairs), the graphs' blocks back to back in the order of `graphs`. Canonical
 * item i is input item p[i] (nodes) or p[i / n]·n + p[i % n] (pairs), and its
 * output becomes the mean over its orbit, the closed form of the mean over the
 * group, which acts transitively on each orbit. To `out` when given (a Float64Array
 * of y's length, which may be y itself).
 */
export function averageGraphOutputs(graphs: readonly GraphOrbits[], y: ArrayLike<number>, dim: number, kind: 'nodes' | 'edges', k: Kernels = kernels(), out?: Float64Array): Float64Array {
  if (!Number.isInteger(dim) || dim < 1) throw optionRangeError(`dim must be a positive integer, got ${dim}`);
  const edges = kind === 'edges';
  const count = graphs.length;
  const voff = new Int32Array(count + 1);
  let items = 0;
  let most = 0;
  for (let g = 0; g < count; g++) {
    const n = graphs[g].permutation.length;
    if (graphs[g].orbits.length !== (edges ? n * n : n)) throw optionRangeError(`graph ${g}: ${kind} need ${edges ? 'n·n' : 'n'} = ${edges ? n * n : n} orbit ids, got ${graphs[g].orbits.length}${edges ? ' (pass pairOrbits(), not orbits)' : ''}`);
    voff[g + 1] = voff[g] + n;
    most = Math.max(most, edges ? n * n : n);
    items += edges ? n * n : n;
  }
  const values = items * dim;
  if (y.length !== values) {
    const what = edges ? 'edge' : 'node';
    const size = count === 1 ? `${items}·${dim}` : `${count} graphs' ${items} items · ${dim}`;
    throw optionRangeError(`${what} outputs must have ${size} = ${values} values, got ${y.length}`);
  }
  if (out !== undefined && !(out instanceof Float64Array && out.length === values)) throw optionRangeError(`out must be a Float64Array of ${values} values`);
  const result = out ?? new Float64Array(values);
  withArena(k, 'avg_orbits', (a) => {
    const yp = a.putF64(y);
    const vp = a.putI32(voff);
    const perm = a.alloc(voff[count] * 4);
    const ids = a.alloc(items * 4);
    const outp = a.alloc(values * 8);
    const work = a.alloc(k.exports.avg_work(most, dim));
    const P = a.i32(perm, voff[count]);
    const I = a.i32(ids, items);
    for (let g = 0, at = 0; g < count; g++) {
      const { permutation, orbits } = graphs[g];
      P.set(permutation, voff[g]);
      I.set(orbits, at);
      at += orbits.length;
    }
    k.exports.avg_orbits(yp, vp, count, dim, edges ? AVG_PAIRS : 0, perm, ids, 0, outp, work);
    result.set(a.f64(outp, values));
  });
  return result;
}

/**
 * Orbits of the group generated by `gens` on ordered pairs, as the smallest pair
 * index (avg_pair_orbits: a union–find over the pairs, generator by generator).
 */
export function orbitsOnPairs(n: number, gens: Int32Array[], k: Kernels = kernels()): Int32Array {
  return withArena(k, 'avg_pair_orbits', (a) => {
    const vp = a.putI32([0, n]);
    const np = a.putI32([gens.length]);
    const gp = a.alloc(gens.length * n * 4);
    const out = a.alloc(n * n * 4);
    const G = a.i32(gp, gens.length * n);
    gens.forEach((g, s) => G.set(g, s * n));
    k.exports.avg_pair_orbits(vp, 1, gp, np, out);
    return a.i32(out, n * n).slice();
  });
}

/** All group elements by closure under the generators; refused past `cap`. */
export function enumerate(n: number, gens: Int32Array[], size: bigint, cap: number): Int32Array[] {
  checkCap(cap, size, 'the automorphism group');
  const id = Int32Array.from({ length: n }, (_, i) => i);
  const seen = new Set<string>([id.join(',')]);
  const out = [id];
  for (let q = 0; q < out.length; q++) {
    for (const g of gens) {
      const h = Int32Array.from(out[q], (v) => g[v]);
      const key = h.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        out.push(h);
      }
    }
  }
  return out;
}
