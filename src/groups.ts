/**
 * Group specs: parse 'SO(3)', 'E(2)', … into plain data that can cross to workers
 * (a worker re-parses the spec). What each family computes lives in src/frames/.
 */
import { optionError, optionRangeError } from './errors.js';

export type FamilyName = 'orthogonal';

export interface Group {
  /** The normalized spec, e.g. 'SO(3)'. */
  readonly spec: string;
  /** The symbol before the parenthesis: 'O', 'SO', 'E', 'SE'. */
  readonly name: string;
  readonly family: FamilyName;
  /** Dimension of the points the group acts on. */
  readonly d: number;
  /** Values per coordinate: 1 (real) or 2 (complex, interleaved re, im). */
  readonly width: 1 | 2;
  /** det = +1 is required (SO, SE). */
  readonly special: boolean;
  /** The group includes translations (E, SE). */
  readonly translations: boolean;
}

/** Largest dimension any group accepts (QR work grows as d³). */
export const MAX_DIM = 1024;

/** Default relative tolerance for rank decisions and ties. */
export const DEFAULT_TOL = 1e-9;

const KNOWN = 'O(d), SO(d), E(d), SE(d)';

const cache = new Map<string, Group>();

/** Parse a group spec. Accepts a Group too (returned as is). */
export function group(spec: string | Group): Group {
  if (typeof spec === 'object' && spec !== null && typeof (spec as Group).spec === 'string') return spec as Group;
  if (typeof spec !== 'string') throw optionError(`a group spec must be a string such as 'SO(3)', got ${typeof spec}`);
  const key = spec.replace(/\s+/g, '');
  const hit = cache.get(key);
  if (hit) return hit;
  const m = /^(O|SO|E|SE)\((\d+)\)$/.exec(key);
  if (!m) throw optionRangeError(`unknown group '${spec}'; known groups: ${KNOWN}`);
  const d = Number(m[2]);
  if (!Number.isSafeInteger(d) || d < 1 || d > MAX_DIM) {
    throw optionRangeError(`group '${spec}': d must be an integer from 1 to ${MAX_DIM}`);
  }
  const name = m[1];
  const g: Group = Object.freeze({
    spec: `${name}(${d})`,
    name,
    family: 'orthogonal',
    d,
    width: 1,
    special: name === 'SO' || name === 'SE',
    translations: name === 'E' || name === 'SE',
  });
  cache.set(key, g);
  return g;
}
