/**
 * Group specs: parse 'SO(3)', 'E(2)', … into plain data that can cross to workers
 * (a worker re-parses the spec). What each family computes lives in src/frames/.
 */
import { describe, optionError, optionRangeError } from './errors.js';

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
  /**
   * How frames are built: 'mfa' (minimal frames, the default) or a baseline for
   * comparisons, 'fa', 'sfa' or 'ifa' (O, SO, E, SE only; src/frames/fa.ts).
   */
  readonly method: Method;
  /** SFA's seed, or undefined: every call draws one. */
  readonly seed?: number;
}

/** A group whose frames are a baseline's (group(spec, { method: 'fa' | 'sfa' | 'ifa' })). */
export type BaselineGroup = Group & { readonly method: 'fa' | 'sfa' | 'ifa' };

/** Frame methods: minimal frames, and the baselines FA, stochastic FA and improved FA. */
export type Method = 'mfa' | 'fa' | 'sfa' | 'ifa';

export interface GroupOptions {
  /** 'mfa' (default), or a baseline: 'fa', 'sfa', 'ifa' (O(d), SO(d), E(d), SE(d), d <= FA_MAX_DIM). */
  method?: Method;
  /** SFA's seed: a whole number in [0, 2^32); without it each call draws its own. */
  seed?: number;
}

/** Largest d the baselines take: FA and iFA have 2^d frame elements, one model call each. */
export const FA_MAX_DIM = 12;

const METHODS: readonly string[] = ['mfa', 'fa', 'sfa', 'ifa'];

/**
 * The `method` option for group G: undefined or 'mfa' (minimal frames, any group),
 * 'fa', 'sfa' or 'ifa' (O(d), SO(d), E(d), SE(d) with d <= FA_MAX_DIM). Throws
 * OptionTypeError for a non-string, OptionRangeError for an unknown method or a
 * group the method does not cover (and the group's own error for a bad spec).
 */
export function checkMethod(method: unknown, G: string | Group | GraphGroup | PermutationGroup): Method {
  if (method === undefined || method === 'mfa') return 'mfa';
  if (typeof method !== 'string') throw optionError(`method must be 'mfa', 'fa', 'sfa' or 'ifa', got ${describe(method)}`);
  if (!METHODS.includes(method)) throw optionRangeError(`unknown method '${method}'; methods: 'mfa' (minimal frames, the default), 'fa', 'sfa', 'ifa'`);
  const g = group(G as string) as Group | GraphGroup | PermutationGroup;
  if (isGraphGroup(g) || isPermutationGroup(g) || g.family !== 'orthogonal') {
    throw optionRangeError(`method '${method}' covers O(d), SO(d), E(d) and SE(d), not ${g.spec}`);
  }
  if (g.d > FA_MAX_DIM) throw optionRangeError(`method '${method}' takes d <= ${FA_MAX_DIM} (FA's frame has 2^d elements), got ${g.spec}`);
  return method as Method;
}

/** SFA's seed: a whole number in [0, 2^32); undefined draws one (so calls differ unless seeded). */
export function checkSeed(seed: unknown): number {
  if (seed === undefined) return Math.floor(Math.random() * 2 ** 32);
  if (typeof seed !== 'number') throw optionError(`seed must be a number, got ${describe(seed)}`);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw optionRangeError(`seed must be a whole number in [0, 2^32), got ${seed}`);
  return seed;
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

/**
 * Every group group() returned: only these are accepted as groups, so a forged
 * object cannot skip the parser's checks (the dimension limits, the methods' rules).
 */
const made = new WeakSet<object>();

/** g, frozen and remembered as one group() made. */
function mint<T extends object>(g: T): Readonly<T> {
  const frozen = Object.freeze(g);
  made.add(frozen);
  return frozen;
}

const GRAPH_GROUPS: Record<string, GraphGroup> = {
  graph: mint({ spec: 'graph', name: 'graph', family: 'graph', weighted: false }),
  'weighted-graph': mint({ spec: 'weighted-graph', name: 'weighted-graph', family: 'graph', weighted: true }),
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
  const p: PermutationGroup = mint({ spec: base ? `S(n) x ${base.spec}` : 'S(n)', name: 'S(n)', family: 'permutation', base });
  permutationCache.set(key, p);
  return p;
}

export function isGraphGroup(g: unknown): g is GraphGroup {
  return typeof g === 'object' && g !== null && (g as GraphGroup).family === 'graph';
}

const cache = new Map<string, Group>();

/**
 * Parse a group spec. Accepts a group that group() returned too (returned as is);
 * any other object is an OptionTypeError. `options.method` picks a baseline frame
 * method instead of minimal frames (O, SO, E, SE only).
 */
export function group(spec: 'graph' | 'weighted-graph' | GraphGroup): GraphGroup;
export function group(spec: PermutationSpec | PermutationGroup): PermutationGroup;
export function group(spec: string | Group, options: GroupOptions & { method: 'fa' | 'sfa' | 'ifa' }): BaselineGroup;
export function group(spec: string | Group, options?: GroupOptions): Group;
export function group(spec: string | Group | GraphGroup | PermutationGroup, options?: GroupOptions): Group | GraphGroup | PermutationGroup {
  if (options !== undefined) return withMethod(spec, options);
  if (typeof spec === 'object' && spec !== null && made.has(spec)) return spec as Group;
  if (typeof spec !== 'string') {
    throw optionError(`a group must be a spec string such as 'SO(3)' or a group that group() returned, got ${typeof spec === 'object' && spec !== null ? 'an object group() did not make' : describe(spec)}`);
  }
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
  const g: Group = mint({
    spec: lorentz ? `${name}(1,${d - 1})` : `${name}(${d})`,
    name,
    family: lorentz ? 'lorentz' : FAMILY[name],
    d,
    width: name === 'U' || name === 'SU' ? 2 : 1,
    special: name === 'SO' || name === 'SE' || name === 'SU' || name === 'SL',
    translations: name === 'E' || name === 'SE' || name === 'Aff',
    method: 'mfa',
  });
  cache.set(key, g);
  return g;
}

/** `spec` with a frame method (and SFA's seed) from `options`. */
function withMethod(spec: string | Group | GraphGroup | PermutationGroup, options: GroupOptions): Group | GraphGroup | PermutationGroup {
  if (typeof options !== 'object' || options === null) throw optionError(`group options must be an object, got ${describe(options)}`);
  const method = checkMethod(options.method, spec);
  const g = group(spec as string);
  if (method === 'mfa' && options.seed === undefined) return g;
  if (options.seed !== undefined && method !== 'sfa') throw optionRangeError(`seed is SFA's option; method is '${method}'`);
  const seed = options.seed === undefined ? undefined : checkSeed(options.seed);
  return mint({ ...g, method, ...(seed === undefined ? {} : { seed }) });
}
