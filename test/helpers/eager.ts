/**
 * A batch checked up front, value by value in TypeScript: the reference that the
 * frames' own check (in WASM, slice by slice as the rows are copied in) must agree
 * with, input for input and word for word.
 */
import { checkShape, firstNonFinite, nonFiniteRule, type BatchInput, type CheckedBatch } from '../../src/batch.js';
import { inputRangeError } from '../../src/errors.js';
import type { Group } from '../../src/groups.js';

export function checkEagerly(G: Group, input: BatchInput): CheckedBatch {
  const b = checkShape(G, input);
  const rowLen = G.d * G.width;
  b.checked = true;
  for (let i = 0; i < b.count; i++) {
    if (b.skip[i]) continue;
    const from = b.offsets[i] * rowLen;
    const at = firstNonFinite(b.data, from, b.offsets[i + 1] * rowLen);
    if (at >= 0) {
      b.errors[i] = inputRangeError(i, nonFiniteRule(b.data, from, at, rowLen));
      b.skip[i] = 1;
      b.bad++;
    }
  }
  return b;
}
