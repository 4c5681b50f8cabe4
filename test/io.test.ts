/**
 * The .npy / .npz readers and writers of src/io against NumPy (python3 with numpy,
 * which CI installs): every dtype, byte order and header version NumPy writes is
 * read, chunk by chunk, as NumPy holds it; what minframe writes np.load reads back;
 * unsupported files are refused naming the file; and fuzzed files (random bytes,
 * truncations, mutated headers) raise nothing but FileFormatError.
 */
import { PYTHON } from './helpers/python.js';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { FileFormatError } from '../src/index.js';
import { discardPendingSync, listArrays, NpyWriter, NpzWriter, openArray, OutputFile, type DTypeName } from '../src/io/index.js';
import { crc32, crc32Table } from '../src/io/zip.js';

const dir = mkdtempSync(join(tmpdir(), 'minframe-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const python = (script: string) => execFileSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8' });

/** The values NumPy's fixtures hold: (arange(size)·0.37 − 5) cast to the dtype. */
const fixture = (size: number, dtype: DTypeName): number[] => Array.from({ length: size }, (_, i) => {
  const v = i * 0.37 - 5;
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32' || dtype === 'int64') return Math.trunc(v) || 0; // no -0
  if (dtype === 'uint8') return Math.trunc(v) & 0xff;
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  return v;
});

async function readAll(spec: string, step: number): Promise<{ values: number[]; shape: readonly number[]; dtype: DTypeName }> {
  const r = await openArray(spec);
  try {
    const values: number[] = [];
    for (let i = 0; i < r.length; i += step) values.push(...(await r.read(i, Math.min(step, r.length - i))));
    return { values, shape: r.shape, dtype: r.dtype };
  } finally {
    await r.close();
  }
}

// One python run writes every fixture.
python(`
import numpy as np
def a(shape, dt):
    return (np.arange(int(np.prod(shape))) * 0.37 - 5).astype(dt).reshape(shape)
for name, dt in [('f8', '<f8'), ('f8be', '>f8'), ('f4', '<f4'), ('f4be', '>f4'), ('i4', '<i4'), ('i4be', '>i4'), ('i8', '<i8'), ('i8be', '>i8'), ('u1', 'u1'), ('b1', '?')]:
    np.save(name + '.npy', a((7, 5, 3), dt))
np.save('fortran1d.npy', np.asfortranarray(a((11,), '<f8')))
np.save('fortranflat.npy', np.asfortranarray(a((1, 9, 1), '<f8')))
np.save('fortran2d.npy', np.asfortranarray(a((4, 3), '<f8')))
np.save('empty.npy', np.zeros((0, 4, 3)))
for v in [(1, 0), (2, 0), (3, 0)]:
    with open('v%d.npy' % v[0], 'wb') as f:
        np.lib.format.write_array(f, a((6, 2), '<f8'), version=v)
np.save('object.npy', np.array([{'a': 1}, None], dtype=object), allow_pickle=True)
np.save('structured.npy', np.zeros(3, dtype=[('x', '<f8'), ('y', '<i4')]))
np.save('complex.npy', np.zeros(3, dtype=np.complex128))
np.save('strings.npy', np.array(['ab', 'c']))
np.save('half.npy', np.zeros(3, dtype=np.float16))
np.savez('plain.npz', positions=a((9, 4, 3), '<f8'), offsets=np.arange(10, dtype=np.int64))
np.savez_compressed('packed.npz', positions=a((9, 4, 3), '>f8'), big=a((200000,), '<f8'))
np.savez_compressed('small.npz', positions=a((9, 4, 3), '<f8'), sizes=np.arange(9, dtype=np.int32))
np.savez('single.npz', a((5,), '<i4'))
`);

describe('.npy files written by NumPy', () => {
  const cases: [string, DTypeName][] = [
    ['f8', 'float64'], ['f8be', 'float64'], ['f4', 'float32'], ['f4be', 'float32'], ['i4', 'int32'], ['i4be', 'int32'],
    ['i8', 'int64'], ['i8be', 'int64'], ['u1', 'uint8'], ['b1', 'bool'],
  ];
  it.each(cases)('%s: every chunking of the leading axis reads what NumPy holds', async (name, dtype) => {
    for (const step of [1, 3, 7]) {
      const r = await readAll(at(`${name}.npy`), step);
      expect(r.dtype).toBe(dtype);
      expect(r.shape).toEqual([7, 5, 3]);
      expect(r.values).toEqual(fixture(105, dtype));
    }
  });
  it('reads into a caller buffer (shared memory too) and in the native byte order', async () => {
    const r = await openArray(at('f8be.npy'));
    const sab = new SharedArrayBuffer(2 * 15 * 8);
    const v = await r.read(2, 2, sab);
    expect(v.buffer).toBe(sab);
    expect(Array.from(v)).toEqual(fixture(105, 'float64').slice(30, 60));
    await r.close();
  });
  it('header versions 1, 2 and 3, Fortran order that cannot change the layout, empty arrays', async () => {
    for (const v of [1, 2, 3]) expect((await readAll(at(`v${v}.npy`), 4)).values).toEqual(fixture(12, 'float64'));
    expect((await readAll(at('fortran1d.npy'), 4)).values).toEqual(fixture(11, 'float64'));
    expect((await readAll(at('fortranflat.npy'), 1)).values).toEqual(fixture(9, 'float64'));
    const empty = await readAll(at('empty.npy'), 1);
    expect([empty.shape, empty.values]).toEqual([[0, 4, 3], []]);
  });
  it.each([
    ['object', /object arrays \(pickled Python objects\) are not supported/],
    ['structured', /structured dtypes .* are not supported/],
    ['complex', /dtype '<c16' is not supported; use float64, float32, int64, int32, uint8 or bool/],
    ['strings', /dtype '<U2' is not supported/],
    ['half', /dtype '<f2' is not supported/],
    ['fortran2d', /Fortran-order \(column-major\) arrays are not supported for shape \(4, 3\); save np.ascontiguousarray/],
  ])('%s: refused with a FileFormatError naming the file', async (name, message) => {
    const file = at(`${name}.npy`);
    const e = await openArray(file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FileFormatError);
    expect((e as FileFormatError).file).toBe(file);
    expect((e as Error).message).toMatch(message);
    expect((e as Error).message.startsWith(`minframe: ${file}: `)).toBe(true);
    expect((e as Error).message).not.toMatch(/\n/);
  });
  it('a missing file, a directory, a file that is not .npy', async () => {
    await expect(openArray(at('nothing.npy'))).rejects.toThrow(/nothing\.npy: cannot open: no such file or directory/);
    await expect(openArray(dir)).rejects.toThrow(FileFormatError);
    writeFileSync(at('text.npy'), 'hello, this is not an array');
    await expect(openArray(at('text.npy'))).rejects.toThrow(/text\.npy: not an \.npy file \(no \\x93NUMPY magic\)/);
  });
});

describe('.npz archives written by NumPy', () => {
  it('stored members, by name, with and without .npy', async () => {
    expect(await listArrays(at('plain.npz'))).toEqual(['positions', 'offsets']);
    const p = await readAll(`${at('plain.npz')}:positions`, 2);
    expect([p.shape, p.values]).toEqual([[9, 4, 3], fixture(108, 'float64')]);
    expect((await readAll(`${at('plain.npz')}:offsets.npy`, 4)).values).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect((await readAll(at('single.npz'), 2)).values).toEqual(fixture(5, 'int32'));
  });
  it('deflated members, streamed in any chunking (a big member spans many inflate steps)', async () => {
    for (const step of [1, 4]) expect((await readAll(`${at('packed.npz')}:positions`, step)).values).toEqual(fixture(108, 'float64'));
    const r = await openArray(`${at('packed.npz')}:big`);
    const want = fixture(200000, 'float64');
    // forward in uneven steps, then back to the start (the stream starts again)
    for (const [from, count] of [[0, 10], [10, 70000], [150000, 50000], [5, 3]]) {
      const got = await r.read(from, count);
      expect(got.length).toBe(count);
      expect(got.findIndex((v, i) => v !== want[from + i])).toBe(-1);
    }
    await r.close();
  });
  it('members that are not there, archives with several members named alone', async () => {
    await expect(openArray(`${at('plain.npz')}:velocities`)).rejects.toThrow(/plain\.npz: no array 'velocities' in the archive; it holds positions, offsets/);
    await expect(openArray(at('plain.npz'))).rejects.toThrow(/name one of its 2 arrays \(positions, offsets\) as .*plain\.npz:NAME/);
  });
});

describe('files minframe writes', () => {
  const shapes: [DTypeName, number[]][] = [['float64', [4, 3, 2]], ['float32', [5]], ['int32', [2, 2]], ['int64', [3, 1]], ['uint8', [6]], ['bool', [4]]];
  it('np.load reads every .npy and .npz written chunk by chunk, and the .npz is deterministic', async () => {
    for (const [dtype, shape] of shapes) {
      const values = fixture(shape.reduce((a, b) => a * b, 1), dtype);
      const w = await NpyWriter.create(at(`out-${dtype}.npy`), dtype, shape);
      await w.write(values.slice(0, 1));
      await w.write(values.slice(1));
      await w.commit();
    }
    for (const name of ['frames-a.npz', 'frames-b.npz']) {
      const z = await NpzWriter.create(at(name), shapes.map(([dtype, shape]) => ({ name: `m_${dtype}`, dtype, shape })));
      // members written at once, each a chunk at a time
      await Promise.all(shapes.map(async ([dtype, shape]) => {
        const values = fixture(shape.reduce((a, b) => a * b, 1), dtype);
        await z.write(`m_${dtype}`, values.slice(0, 2));
        await z.write(`m_${dtype}`, values.slice(2));
      }));
      await z.commit();
    }
    expect(readFileSync(at('frames-a.npz')).equals(readFileSync(at('frames-b.npz')))).toBe(true);
    const out = python(`
import numpy as np, zipfile
def a(shape, dt):
    return (np.arange(int(np.prod(shape))) * 0.37 - 5).astype(dt).reshape(shape)
cases = ${JSON.stringify(shapes)}
dts = {'float64': '<f8', 'float32': '<f4', 'int32': '<i4', 'int64': '<i8', 'uint8': 'u1', 'bool': '?'}
z = np.load('frames-a.npz')
assert zipfile.ZipFile('frames-a.npz').testzip() is None
for dt, shape in cases:
    for got in (np.load('out-%s.npy' % dt), z['m_' + dt]):
        assert got.dtype == np.dtype(dts[dt]) and got.shape == tuple(shape), (dt, got.dtype, got.shape)
        assert (got == a(shape, dts[dt])).all(), dt
print('ok', sorted(z.keys()))
`);
    expect(out.trim()).toBe(`ok ['m_bool', 'm_float32', 'm_float64', 'm_int32', 'm_int64', 'm_uint8']`);
    // and minframe reads its own archives back
    expect((await readAll(`${at('frames-a.npz')}:m_int64`, 2)).values).toEqual(fixture(3, 'int64'));
  });
  it('round trips arbitrary shapes and chunkings', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
      fc.constantFrom<DTypeName>('float64', 'float32', 'int32', 'int64', 'uint8'),
      fc.integer({ min: 1, max: 4 }),
      async (shape, dtype, step) => {
        const values = fixture(shape.reduce((a, b) => a * b, 1), dtype);
        const w = await NpyWriter.create(at('rt.npy'), dtype, shape);
        for (let i = 0; i < values.length; i += 7) await w.write(values.slice(i, i + 7));
        await w.commit();
        const r = await readAll(at('rt.npy'), step);
        expect([r.shape, r.dtype, r.values]).toEqual([shape, dtype, values]);
      },
    ), { numRuns: 60 });
  });
  it('outputs appear under their name only on commit; discarded ones leave nothing', async () => {
    const hidden = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    const w = await NpyWriter.create(at('late.npy'), 'float64', [2]);
    await w.write([1, 2]);
    expect(existsSync(at('late.npy'))).toBe(false);
    expect(hidden()).toHaveLength(1);
    await w.commit();
    expect(existsSync(at('late.npy'))).toBe(true);
    const d = await NpyWriter.create(at('dropped.npy'), 'float64', [2]);
    await d.discard();
    const s = await OutputFile.create(at('signalled.npy'));
    discardPendingSync();
    expect(existsSync(at('dropped.npy')) || existsSync(at('signalled.npy'))).toBe(false);
    expect(hidden()).toEqual([]);
    await s.discard();
    await expect(NpyWriter.create(join(dir, 'no', 'such', 'dir.npy'), 'float64', [1])).rejects.toThrow(/dir\.npy: cannot create: no such file or directory/);
  });
  it('CRC-32: the check value, and the table code agrees with zlib', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32Table(check)).toBe(0xcbf43926);
    expect(crc32(check)).toBe(0xcbf43926);
    const b = Uint8Array.from({ length: 100003 }, (_, i) => (i * 2654435761) >>> 24);
    expect(crc32Table(b.subarray(50000), crc32Table(b.subarray(0, 50000)))).toBe(crc32Table(b));
    if ((zlib as { crc32?: unknown }).crc32) expect(crc32Table(b)).toBe((zlib as unknown as { crc32: (b: Uint8Array) => number }).crc32(b));
  });
});

describe('fuzzed files raise only FileFormatError', () => {
  const valid = { npy: readFileSync(at('f8be.npy')), npz: readFileSync(at('small.npz')), plain: readFileSync(at('plain.npz')) };
  /** Open and read every value of `bytes` as `ext`: a FileFormatError or success, nothing else. */
  const attempt = async (bytes: Uint8Array, ext: 'npy' | 'npz', member = '') => {
    const file = at(`fuzz.${ext}`);
    writeFileSync(file, bytes);
    try {
      const r = await openArray(ext === 'npz' ? `${file}${member}` : file);
      try {
        await r.read(0, r.length);
      } finally {
        await r.close();
      }
    } catch (e) {
      if (!(e instanceof FileFormatError)) throw e;
      expect(e.message).not.toMatch(/\n/);
    }
  };
  it('random bytes, with and without the magic', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (b, magic) => {
      const bytes = magic ? Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, ...b]) : b;
      await attempt(bytes, 'npy');
      await attempt(bytes, 'npz');
    }), { numRuns: 200 });
  });
  it('every truncation of valid files', async () => {
    for (const cut of [0, 5, 9, 11, 60, 127, 128, 129, valid.npy.length - 1]) await attempt(valid.npy.subarray(0, cut), 'npy');
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: valid.plain.length - 1 }), fc.integer({ min: 0, max: valid.npz.length - 1 }), async (a, b) => {
      await attempt(valid.plain.subarray(0, a), 'npz', ':positions');
      await attempt(valid.npz.subarray(0, b), 'npz', ':positions');
    }), { numRuns: 100 });
  });
  it('mutated headers, directories and compressed data', async () => {
    const mutate = (src: Buffer, spots: { at: number; value: number }[]) => {
      const b = Uint8Array.from(src);
      for (const { at: i, value } of spots) b[i % b.length] = value;
      return b;
    };
    const spots = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 });
    await fc.assert(fc.asyncProperty(spots, fc.nat(127), async (s, base) => {
      await attempt(mutate(valid.npy, s.map((x) => ({ ...x, at: x.at % 128 }))), 'npy'); // the header
      await attempt(mutate(valid.npy, s.map((x) => ({ ...x, at: base }))), 'npy');
      await attempt(mutate(valid.plain, s.map((x) => ({ ...x, at: valid.plain.length - 1 - (x.at % 200) }))), 'npz', ':offsets'); // the directory
      await attempt(mutate(valid.npz, s), 'npz', ':positions'); // anywhere, compressed data included
    }), { numRuns: 150 });
  });
});
