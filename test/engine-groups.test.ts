/**
 * The Lorentz, unitary and linear groups on the worker engine: results equal the
 * inline frames bit for bit, and the workers' rejections and warnings reach the
 * caller (they travel as FrameBatch.status and are worded on the calling thread).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalizeBatch, createEngine, equivariant } from '../src/index.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { testFunctions } from '../src/testing/functions.js';

const engine = await createEngine({ threads: 2, chunkSize: 64 });
afterAll(() => engine.close());

const bytes = (a: ArrayBufferView) => Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const messages = (errors: (Error | null)[]) => errors.map((e) => e?.message ?? null);

describe('new groups on 2 worker threads', () => {
  const normal = gaussian(rng(77));
  const cases = [['O(1,3)', 4, 1], ['SO(1,3)', 4, 1], ['U(3)', 3, 2], ['SU(3)', 3, 2], ['GL(3)', 3, 1], ['SL(2)', 2, 1], ['Aff(3)', 3, 1]] as const;
  it.each(cases)('%s: the same bits, errors and warnings as inline', async (spec, d, w) => {
    const count = 40, n = 6, row = d * w;
    const data = gaussianMatrix(normal, count * n, row);
    data.fill(0, 5 * n * row, 6 * n * row); // no frame for GL/SL/Aff and the Lorentz groups
    data[7 * n * row] = NaN; // fails validation
    if (w === 1 && spec !== 'O(1,3)' && spec !== 'SO(1,3)') {
      // an ill-conditioned input: second row almost the first
      data.set(data.subarray(9 * n * row, 9 * n * row + d), 9 * n * row + d);
      data[9 * n * row + d + 1] += 1e-13;
    }
    const inline = canonicalizeBatch(spec, { data, dim: d, count }, { errors: 'status', tol: 1e-15 });
    const pooled = await engine.canonicalize(spec, { data, dim: d, count }, { errors: 'status', tol: 1e-15 });
    for (const key of ['canonical', 'matrices', 'shifts', 'ranks', 'sizes'] as const) {
      expect(bytes(pooled[key]).equals(bytes(inline[key])), key).toBe(true);
    }
    expect(messages(pooled.errors)).toEqual(messages(inline.errors));
    expect(pooled.warnings).toEqual(inline.warnings);
    expect(inline.errors[7]?.message).toMatch(/^input 7: row 0 holds NaN/);
    if (w === 1) expect(inline.errors[5]?.message).toMatch(/^input 5: /);
    if (w === 1 && spec !== 'O(1,3)' && spec !== 'SO(1,3)') expect(inline.warnings?.[9]).toMatch(/^input 9: .* frame is ill-conditioned/);
  });

  it('equivariant batches on the engine equal inline ones (complex included)', async () => {
    for (const [spec, d, w, fn] of [['U(3)', 3, 2, 'cmix'], ['O(1,3)', 4, 1, 'sine']] as const) {
      const data = gaussianMatrix(normal, 30 * 5, d * w);
      const inline = await equivariant(spec, testFunctions[fn]).batch({ data, dim: d, count: 30 });
      const pooled = await equivariant(spec, testFunctions[fn], { engine }).batch({ data, dim: d, count: 30 });
      expect(bytes(pooled.data).equals(bytes(inline.data))).toBe(true);
    }
  });
});
