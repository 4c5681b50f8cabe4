/**
 * Group specs: parse 'SO(3)', 'E(2)', … into plain data that can cross to workers
 * (a worker re-parses the spec). What each family computes lives in src/frames/.
 */
import { optionError, optionRangeError } from './errors.js';

export type FamilyName = 'orthogonal' | 'lorentz' | 'unitary' | 'linear';

export interface Group {
  /** The normalized spec, e.g. 'SO(3)'. */
  readonly spec: string;
  /** The symbol before the parenthesis: 'O', 'SO', 'E', 'SE', 'U', 'SU', 'GL', 'SL', 'Aff'. */
  readonly name: string;
  readonly family: FamilyName;
  /** Dimension of the points the group acts on (O(1,3): 4). */
  readonly d: number;
  /** Values per coordinate: 1 (real) or 2 (complex, interleaved re, im). */
  readonly width: 1 | 2;
  /** det = +1 is required (SO, SE, SO(1,d−1), SU, SL). */
  readonly special: boolean;
  /** The group includes translations (E, SE, Aff). */
  readonly translations: boolean;
}

/** Largest dimension any group accepts (QR work grows as d³). */
export const MAX_DIM = 1024;

/** Default relative tolerance for rank decisions and ties. */
export const DEFAULT_TOL = 1e-9;

const KNOWN = 'O(d), SO(d), E(d), SE(d), O(1,d-1), SO(1,d-1), U(d), SU(d), GL(d), SL(d), Aff(d), S(n), S(n) x G, graph, weighted-graph';

const FAMILY: Record<string, FamilyName> = {
  O: 'orthogonal', SO: 'orthogonal', E: 'orthogonal', SE: 'orthogonal',
  U: 'unitary', SU: 'unitary', GL: 'linear', SL: 'linear', Aff: 'linear',
};

/**
 * The graph groups: S(n) acting on n×n adjacency matrices by A ↦ P·A·Pᵀ, with
 * integer edge colours ('graph') or real weights clustered with the tolerance
 * ('weighted-graph'). Their frames come from canonical labeling (src/frames/graph.ts).
 */
export interface GraphGroup {
  readonly spec: 'graph' | 'weighted-graph';
  readonly name: 'graph' | 'weighted-graph';
  readonly family: 'graph';
  readonly weighted: boolean;
}

const GRAPH_GROUPS: Record<string, GraphGroup> = {
  graph: Object.freeze({ spec: 'graph', name: 'graph', family: 'graph', weighted: false }),
  'weighted-graph': Object.freeze({ spec: 'weighted-graph', name: 'weighted-graph', family: 'graph', weighted: true }),
};

/**
 * S(n) on point sets (rows permuted), alone or as S(n) x G with G one of O(d),
 * SO(d), E(d), SE(d), O(1,d−1), SO(1,d−1) acting on each row
 * (src/frames/permutation.ts).
 */
export interface PermutationGroup {
  readonly spec: string;
  readonly name: 'S(n)';
  readonly family: 'permutation';
  /** G of S(n) x G, or null for S(n) alone (which takes any d). */
  readonly base: Group | null;
}

/** Specs of the permutation groups, spelled 'S(n)' or 'S(n) x G' (or ×). */
export type PermutationSpec = 'S(n)' | `S(n) x ${string}` | `S(n) × ${string}`;

export function isPermutationGroup(g: unknown): g is PermutationGroup {
  return typeof g === 'object' && g !== null && (g as PermutationGroup).family === 'permutation';
}

const permutationCache = new Map<string, PermutationGroup>();

/** 'S(n)', 'S(n) x O(3)' or 'S(n) × SE(3)' (spaces ignored), or null when spec is not one. */
function parsePermutation(key: string, spec: string): PermutationGroup | null {
  const m = /^S\(n\)(?:[x×](.+))?$/.exec(key);
  if (!m) return null;
  const hit = permutationCache.get(key);
  if (hit) return hit;
  let base: Group | null = null;
  if (m[1] !== undefined) {
    const g = group(m[1]) as Group | GraphGroup;
    if (isGraphGroup(g) || (g.family !== 'orthogonal' && g.family !== 'lorentz')) {
      throw optionRangeError(`group '${spec}': S(n) x G takes G in O(d), SO(d), E(d), SE(d), O(1,d-1), SO(1,d-1), got ${g.spec}`);
    }
    base = g;
  }
  const p: PermutationGroup = Object.freeze({ spec: base ? `S(n) x ${base.spec}` : 'S(n)', name: 'S(n)', family: 'permutation', base });
  permutationCache.set(key, p);
  return p;
}

export function isGraphGroup(g: unknown): g is GraphGroup {
  return typeof g === 'object' && g !== null && (g as GraphGroup).family === 'graph';
}

const cache = new Map<string, Group>();

/** Parse a group spec. Accepts a Group too (returned as is). */
export function group(spec: 'graph' | 'weighted-graph' | GraphGroup): GraphGroup;
export function group(spec: PermutationSpec | PermutationGroup): PermutationGroup;
export function group(spec: string | Group): Group;
export function group(spec: string | Group | GraphGroup | PermutationGroup): Group | GraphGroup | PermutationGroup {
  if (typeof spec === 'object' && spec !== null && typeof (spec as Group).spec === 'string') return spec as Group;
  if (typeof spec !== 'string') throw optionError(`a group spec must be a string such as 'SO(3)', got ${typeof spec}`);
  const key = spec.replace(/\s+/g, '');
  const graph = GRAPH_GROUPS[key];
  if (graph) return graph;
  const permutation = parsePermutation(key, spec);
  if (permutation) return permutation;
  const hit = cache.get(key);
  if (hit) return hit;
  const lorentz = /^(O|SO)\(1,(\d+)\)$/.exec(key);
  const m = lorentz ?? /^(O|SO|E|SE|U|SU|GL|SL|Aff)\((\d+)\)$/.exec(key);
  if (!m) throw optionRangeError(`unknown group '${spec}'; known groups: ${KNOWN}`);
  // O(1,d−1) is written with its signature: O(1,3) acts on d = 4
  const d = Number(m[2]) + (lorentz ? 1 : 0);
  if (!Number.isSafeInteger(d) || d < (lorentz ? 2 : 1) || d > MAX_DIM) {
    const range = lorentz ? `the space dimension d−1 must be an integer from 1 to ${MAX_DIM - 1}` : `d must be an integer from 1 to ${MAX_DIM}`;
    throw optionRangeError(`group '${spec}': ${range}`);
  }
  const name = m[1];
  const g: Group = Object.freeze({
    spec: lorentz ? `${name}(1,${d - 1})` : `${name}(${d})`,
    name,
    family: lorentz ? 'lorentz' : FAMILY[name],
    d,
    width: name === 'U' || name === 'SU' ? 2 : 1,
    special: name === 'SO' || name === 'SE' || name === 'SU' || name === 'SL',
    translations: name === 'E' || name === 'SE' || name === 'Aff',
  });
  cache.set(key, g);
  return g;
}

/**
 * A group acting on point sets, for the calls that take point batches; graph groups
 * are refused with a pointer to what handles them (the batch calls and the engine
 * send graph and permutation groups to src/engine/records.ts before this).
 */
export function pointGroup(spec: string | Group, use: string): Group {
  const g = group(spec) as Group | GraphGroup | PermutationGroup;
  if (isPermutationGroup(g)) {
    throw optionRangeError(`${use} takes point groups, not '${g.spec}'`);
  }
  if (isGraphGroup(g)) {
    throw optionRangeError(`${use} takes point sets; for '${g.spec}' use canonicalize(group('${g.spec}'), A, { n }) and its averageNodes / averageEdges`);
  }
  return g;
}
