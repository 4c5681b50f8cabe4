/**
 * The reference implementation's vectors (test/fixtures/mfa-reference.json, copied
 * from shared/reference) and the small helpers every agreement test uses.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export interface ReferenceCase {
  id: string; group: string; n: number; d: number; complex: boolean; x: number[];
  canonical: number[]; equivariant: Record<string, number[]>; invariant: Record<string, number[]>;
}

export const reference = JSON.parse(readFileSync(new URL('../fixtures/mfa-reference.json', import.meta.url), 'utf8')) as {
  cases: ReferenceCase[];
  permutationCases: { id: string; n: number; d: number; x: number[]; frameSize: number }[];
};

/** Σ over the rows of an n×rowLen output (the fixtures' invariant outputs). */
export function sumRows(y: Float64Array, n: number, rowLen: number): Float64Array {
  const s = new Float64Array(rowLen);
  for (let r = 0; r < n; r++) for (let a = 0; a < rowLen; a++) s[a] += y[r * rowLen + a];
  return s;
}

/** Largest absolute difference of two equally long arrays. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
