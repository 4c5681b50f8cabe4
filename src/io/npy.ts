/**
 * The .npy format (NumPy's NEP 1), read and written by hand: a dataset may be far
 * larger than memory, so arrays are read a range of the leading axis at a time and
 * written a chunk at a time after a header that already states the final shape. No
 * dependency reads .npy in chunks (the JavaScript parsers load the whole file).
 *
 * Layout: the magic "\x93NUMPY", a major and minor version byte, the header length
 * (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), the header — a
 * Python dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`
 * padded with spaces to a multiple of 64 bytes and ended by '\n' (latin-1 in
 * versions 1 and 2, UTF-8 in version 3) — then the values, C order.
 *
 * Values come back in this platform's byte order (big-endian files are swapped).
 * Fortran order is read when it cannot change the layout — at most one axis longer
 * than 1, as for every 1-D array — and refused otherwise (it would need a transpose
 * of the whole file). Object arrays (pickles), structured, string, complex,
 * datetime and float16 dtypes are refused.
 */
import { fileError } from '../errors.js';
import type { ByteSource } from './bytes.js';

/** The dtypes read and written, with NumPy's names. */
export type DTypeName = 'float64' | 'float32' | 'int64' | 'int32' | 'uint8' | 'bool';

interface DTypeInfo {
  /** The descr type code without byte order, e.g. 'f8'. */
  code: string;
  bytes: 1 | 4 | 8;
}

const DTYPES: Record<DTypeName, DTypeInfo> = {
  float64: { code: 'f8', bytes: 8 },
  float32: { code: 'f4', bytes: 4 },
  int64: { code: 'i8', bytes: 8 },
  int32: { code: 'i4', bytes: 4 },
  uint8: { code: 'u1', bytes: 1 },
  bool: { code: 'b1', bytes: 1 },
};

const BY_CODE = new Map(Object.entries(DTYPES).map(([name, d]) => [d.code, name as DTypeName]));

/** Values as they come back: int64 as exact doubles (refused past 2^53), bool as 0/1 bytes. */
export type Values = Float64Array | Float32Array | Int32Array | Uint8Array;

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export interface NpyHeader {
  dtype: DTypeName;
  /** Byte order of the values in the file ('|' types count as little-endian). */
  littleEndian: boolean;
  shape: number[];
  /** Where the values start, from the start of the file. */
  dataOffset: number;
}

export function itemBytes(dtype: DTypeName): number {
  return DTYPES[dtype].bytes;
}

/** The number of values of a shape, refused past 2^53. */
export function shapeSize(shape: readonly number[], file: string): number {
  let size = 1;
  for (const s of shape) size *= s;
  if (!Number.isSafeInteger(size)) throw fileError(file, `shape (${shape.join(', ')}) holds too many values`);
  return size;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** The header must be no longer than this (NumPy's own limit is 10,000 bytes of dict by default). */
const MAX_HEADER = 1 << 20;

type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/**
 * Parse the header's Python literal: dicts, tuples and lists, quoted strings,
 * integers, True, False and None — what NumPy writes, and enough to name what a
 * structured dtype's descr is when refusing it.
 */
function parseLiteral(text: string, file: string): Literal {
  let at = 0;
  const bad = (what: string): never => {
    throw fileError(file, `bad .npy header: ${what} at character ${at} of ${JSON.stringify(text.length > 120 ? text.slice(0, 120) + '…' : text)}`);
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const value = (depth: number): Literal => {
    if (depth > 32) bad('nesting too deep');
    space();
    const c = text[at];
    if (c === '{' || c === '(' || c === '[') {
      const close = c === '{' ? '}' : c === '(' ? ')' : ']';
      at++;
      const items: Literal[] = [];
      const dict: { [key: string]: Literal } = {};
      for (;;) {
        space();
        if (text[at] === close) {
          at++;
          break;
        }
        const item = value(depth + 1);
        if (c === '{') {
          if (typeof item !== 'string') bad('a dict key that is not a string');
          space();
          if (text[at++] !== ':') bad("no ':' after a dict key");
          dict[item as string] = value(depth + 1);
        } else items.push(item);
        space();
        if (text[at] === ',') at++;
        else if (text[at] !== close) bad(`no ',' or '${close}'`);
      }
      return c === '{' ? dict : items;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, at + 1);
      if (end < 0) bad('an unterminated string');
      const s = text.slice(at + 1, end);
      at = end + 1;
      return s;
    }
    const m = /^(-?\d+)L?|^(True|False|None)/.exec(text.slice(at, at + 40));
    if (!m) return bad('an unexpected character');
    at += m[0].length;
    if (m[2] !== undefined) return m[2] === 'None' ? null : m[2] === 'True';
    return Number(m[1]);
  };
  const v = value(0);
  space();
  if (at !== text.length) bad('text after the dict');
  return v;
}

/** The dtype of a descr such as '<f8', refused with a reason when not supported. */
function parseDescr(descr: Literal, file: string): { dtype: DTypeName; littleEndian: boolean } {
  if (typeof descr !== 'string') throw fileError(file, 'structured dtypes (records with named fields) are not supported; save one plain array per field');
  const m = /^([<>|=])([a-zA-Z])(\d*)$/.exec(descr);
  if (m && m[2] === 'O') throw fileError(file, 'object arrays (pickled Python objects) are not supported; save a numeric array');
  const dtype = m ? BY_CODE.get(m[2] + m[3]) : undefined;
  if (!m || dtype === undefined) {
    throw fileError(file, `dtype '${descr}' is not supported; use float64, float32, int64, int32, uint8 or bool`);
  }
  const order = m[1];
  if (order === '=' || (order === '|' && DTYPES[dtype].bytes > 1)) throw fileError(file, `dtype '${descr}' does not state its byte order`);
  return { dtype, littleEndian: order !== '>' };
}

/** Parse the header of an .npy byte source; every problem is a FileFormatError naming `file`. */
export async function readHeader(src: ByteSource, file: string): Promise<NpyHeader> {
  if (src.size < 10) throw fileError(file, `not an .npy file: ${src.size} bytes, shorter than any .npy header`);
  const pre = new Uint8Array(12);
  await src.read(0, pre.subarray(0, Math.min(12, src.size)));
  if (MAGIC.some((b, i) => pre[i] !== b)) throw fileError(file, 'not an .npy file (no \\x93NUMPY magic)');
  const major = pre[6];
  if (major < 1 || major > 3) throw fileError(file, `.npy format version ${major}.${pre[7]} is not supported (versions 1 to 3 are)`);
  const view = new DataView(pre.buffer);
  const lenBytes = major === 1 ? 2 : 4;
  if (src.size < 8 + lenBytes) throw fileError(file, 'truncated .npy header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lenBytes + headerLen;
  if (headerLen > MAX_HEADER) throw fileError(file, `the .npy header claims ${headerLen} bytes, more than ${MAX_HEADER}`);
  if (dataOffset > src.size) throw fileError(file, `truncated .npy header: ${headerLen} bytes stated, ${src.size - 8 - lenBytes} present`);
  const raw = new Uint8Array(headerLen);
  await src.read(8 + lenBytes, raw);
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(raw);
  } catch {
    throw fileError(file, 'bad .npy header: not valid UTF-8');
  }
  const dict = parseLiteral(text, file);
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) throw fileError(file, 'bad .npy header: not a dict');
  const { descr, fortran_order: fortran, shape } = dict;
  if (descr === undefined || fortran === undefined || shape === undefined) {
    throw fileError(file, "bad .npy header: it needs the keys 'descr', 'fortran_order' and 'shape'");
  }
  const { dtype, littleEndian } = parseDescr(descr, file);
  if (typeof fortran !== 'boolean') throw fileError(file, "bad .npy header: 'fortran_order' must be True or False");
  if (!Array.isArray(shape) || shape.some((s) => typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0)) {
    throw fileError(file, "bad .npy header: 'shape' must be a tuple of whole numbers >= 0");
  }
  const dims = shape as number[];
  if (fortran && dims.filter((s) => s > 1).length > 1) {
    throw fileError(file, `Fortran-order (column-major) arrays are not supported for shape (${dims.join(', ')}); save np.ascontiguousarray(a)`);
  }
  const need = shapeSize(dims, file) * DTYPES[dtype].bytes;
  if (!Number.isSafeInteger(dataOffset + need)) throw fileError(file, `shape (${dims.join(', ')}) holds too many values`);
  if (src.size < dataOffset + need) {
    throw fileError(file, `truncated: shape (${dims.join(', ')}) of ${dtype} needs ${need} bytes of values, the file has ${src.size - dataOffset}`);
  }
  return { dtype, littleEndian, shape: dims, dataOffset };
}

/** The header bytes of an array: version 1 unless the header needs more than 65535 bytes. */
export function formatHeader(dtype: DTypeName, shape: readonly number[]): Uint8Array {
  const { code, bytes } = DTYPES[dtype];
  const order = bytes === 1 ? '|' : LITTLE_ENDIAN ? '<' : '>';
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${order}${code}', 'fortran_order': False, 'shape': ${dims}, }`;
  const padded = (pre: number) => Math.ceil((pre + dict.length + 1) / 64) * 64;
  const v1 = padded(10) - 10 <= 0xffff;
  const pre = v1 ? 10 : 12;
  const total = padded(pre);
  const out = new Uint8Array(total).fill(0x20);
  out.set(MAGIC);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, total - pre, true);
  else view.setUint32(8, total - pre, true);
  for (let i = 0; i < dict.length; i++) out[pre + i] = dict.charCodeAt(i);
  out[total - 1] = 0x0a;
  return out;
}

/** Swap the byte order of every `size`-byte item of `b` in place. */
function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i + size <= b.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = b[lo];
      b[lo] = b[hi];
      b[hi] = t;
    }
  }
}

/**
 * Values from raw bytes in the file's byte order: swapped in place when that is not
 * this platform's, then viewed (int64 is converted, exact up to 2^53).
 */
export function decodeValues(bytes: Uint8Array, dtype: DTypeName, littleEndian: boolean, file: string): Values {
  const size = DTYPES[dtype].bytes;
  if (size > 1 && littleEndian !== LITTLE_ENDIAN) swapBytes(bytes, size);
  const { buffer, byteOffset, length } = bytes;
  const n = length / size;
  switch (dtype) {
    case 'float64':
      return new Float64Array(buffer, byteOffset, n);
    case 'float32':
      return new Float32Array(buffer, byteOffset, n);
    case 'int32':
      return new Int32Array(buffer, byteOffset, n);
    case 'int64': {
      const big = new BigInt64Array(buffer, byteOffset, n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = big[i];
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw fileError(file, `int64 value ${v} at ${i} is beyond 2^53, not exact as a double`);
        out[i] = Number(v);
      }
      return out;
    }
    default:
      return bytes;
  }
}

/** The bytes of `values` as `dtype` in this platform's order (a view when no conversion is needed). */
export function encodeValues(values: ArrayLike<number>, dtype: DTypeName): Uint8Array {
  const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  switch (dtype) {
    case 'float64':
      return asBytes(values instanceof Float64Array ? values : Float64Array.from(values));
    case 'float32':
      return asBytes(values instanceof Float32Array ? values : Float32Array.from(values));
    case 'int32':
      return asBytes(values instanceof Int32Array ? values : Int32Array.from(values));
    case 'int64':
      return asBytes(BigInt64Array.from(values, (v) => BigInt(v)));
    default:
      return values instanceof Uint8Array ? values : Uint8Array.from(values);
  }
}
