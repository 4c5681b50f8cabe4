/**
 * Arrays in files, streamed: .npy files and members of .npz archives read a range
 * of the leading axis at a time, and .npy / plain .npz files written a chunk at a
 * time under a temporary name, renamed once complete (output.ts). Every problem
 * with a file is a FileFormatError naming it.
 */
import type { FileHandle } from 'node:fs/promises';
import { fileError, internalError } from '../errors.js';
import { fileRange, openFile, type ByteSource } from './bytes.js';
import { decodeValues, encodeValues, formatHeader, itemBytes, readHeader, shapeSize, type DTypeName, type NpyHeader, type Values } from './npy.js';
import { OutputFile } from './output.js';
import { memberSource, readDirectory, ZipWriter } from './zip.js';

export { discardPendingSync, OutputFile } from './output.js';
export type { DTypeName, Values } from './npy.js';

/** An array in a file, read a range of its leading axis at a time. */
export interface ArrayReader {
  /** The file as the user named it (`data.npz:positions` for a member). */
  readonly file: string;
  readonly dtype: DTypeName;
  readonly shape: readonly number[];
  /** Items along the leading axis (1 for a 0-d array). */
  readonly length: number;
  /** Values per item of the leading axis. */
  readonly itemValues: number;
  /**
   * Items start .. start+count-1, in this platform's byte order. With `buffer` (an
   * ArrayBuffer or SharedArrayBuffer large enough), the values land in it and the
   * result views it — except int64, which is converted into a new Float64Array.
   */
  read(start: number, count: number, buffer?: ArrayBufferLike): Promise<Values>;
  close(): Promise<void>;
}

/** `data.npz:name` → the archive and the member; anything else is an .npy path. */
export function parseArraySpec(spec: string): { path: string; member: string | null } {
  const m = /^(.*\.npz)(?::([^:]*))?$/i.exec(spec);
  return m ? { path: m[1], member: m[2] ?? null } : { path: spec, member: null };
}

/** An archive member's array name: its file name without .npy. */
const arrayName = (entry: { name: string }) => entry.name.replace(/\.npy$/, '');

function reader(file: string, src: ByteSource, h: NpyHeader, handle: FileHandle): ArrayReader {
  const length = h.shape.length === 0 ? 1 : h.shape[0];
  const itemValues = shapeSize(h.shape.slice(1), file);
  const bytes = itemBytes(h.dtype);
  return {
    file,
    dtype: h.dtype,
    shape: h.shape,
    length,
    itemValues,
    async read(start, count, buffer) {
      if (!(Number.isSafeInteger(start) && Number.isSafeInteger(count) && start >= 0 && count >= 0 && start + count <= length)) {
        throw internalError(`read of items ${start}..${start + count - 1} of ${file}, which has ${length}`);
      }
      const size = count * itemValues * bytes;
      if (buffer && buffer.byteLength < size) throw internalError(`a read buffer of ${buffer.byteLength} bytes for ${size}`);
      const into = buffer ? new Uint8Array(buffer, 0, size) : new Uint8Array(size);
      await src.read(h.dataOffset + start * itemValues * bytes, into);
      return decodeValues(into, h.dtype, h.littleEndian, file);
    },
    close: () => handle.close(),
  };
}

/**
 * Open the array `spec` names: an .npy file, or `archive.npz:name` (the member
 * `name.npy`, or `name` itself); `archive.npz` alone names its only member.
 * Deflated members are inflated as they are read.
 */
export async function openArray(spec: string): Promise<ArrayReader> {
  const { path, member } = parseArraySpec(spec);
  const { handle, size } = await openFile(path, path);
  try {
    if (member === null && !/\.npz$/i.test(path)) {
      const src = fileRange(handle, 0, size, spec);
      return reader(spec, src, await readHeader(src, spec), handle);
    }
    const entries = await readDirectory(fileRange(handle, 0, size, path), path);
    const names = entries.map(arrayName);
    let k: number;
    if (member === null || member === '') {
      if (entries.length !== 1) throw fileError(path, `name one of its ${entries.length} arrays (${names.join(', ')}) as ${path}:NAME`);
      k = 0;
    } else {
      k = entries.findIndex((e) => e.name === `${member}.npy`);
      if (k < 0) k = entries.findIndex((e) => e.name === member);
      if (k < 0) throw fileError(path, `no array '${member}' in the archive; it holds ${names.length ? names.join(', ') : 'none'}`);
    }
    const file = `${path}:${names[k]}`;
    const src = await memberSource(handle, size, entries[k], file);
    return reader(file, src, await readHeader(src, file), handle);
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** The names of the arrays in an .npz archive, in archive order (as openArray takes them after the colon). */
export async function listArrays(path: string): Promise<string[]> {
  const { handle, size } = await openFile(path, path);
  try {
    return (await readDirectory(fileRange(handle, 0, size, path), path)).map(arrayName);
  } finally {
    await handle.close();
  }
}

/** An output that becomes visible under its name only on commit. */
export interface Output {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/** Appends that land in call order, each after the previous one, whatever the caller awaits. */
function sequence(): (run: () => Promise<void>) => Promise<void> {
  let last = Promise.resolve();
  return (run) => (last = last.then(run));
}

/**
 * An .npy file written a chunk at a time: the header (with the final shape) first,
 * then the values of the leading axis in order. A chunk's array must stay unchanged
 * until its write resolves (it is written from in place when its type matches).
 */
export class NpyWriter implements Output {
  private written = 0;
  private readonly total: number;
  private readonly queue = sequence();

  private constructor(private readonly out: OutputFile, readonly dtype: DTypeName, readonly shape: readonly number[]) {
    this.total = shapeSize(shape, out.target);
  }

  static async create(target: string, dtype: DTypeName, shape: readonly number[]): Promise<NpyWriter> {
    const out = await OutputFile.create(target);
    try {
      const w = new NpyWriter(out, dtype, shape);
      await w.queue(() => out.append(formatHeader(dtype, shape)));
      return w;
    } catch (e) {
      await out.discard();
      throw e;
    }
  }

  /** Append values (any count; the leading axis's items are whole once every chunk is in). */
  write(values: ArrayLike<number>): Promise<void> {
    this.written += values.length;
    if (this.written > this.total) throw internalError(`${this.written} values written to ${this.out.target}, whose shape holds ${this.total}`);
    const bytes = encodeValues(values, this.dtype);
    return this.queue(() => this.out.append(bytes));
  }

  async commit(): Promise<void> {
    await this.queue(async () => {});
    if (this.written !== this.total) throw internalError(`${this.written} values written to ${this.out.target}, whose shape holds ${this.total}`);
    await this.out.commit();
  }

  discard(): Promise<void> {
    return this.out.discard();
  }
}

export interface MemberSpec {
  name: string;
  dtype: DTypeName;
  shape: readonly number[];
}

/**
 * A plain (stored) .npz archive whose arrays are written at once, each a chunk at a
 * time in order (their shapes are known up front, so each member's place is fixed).
 * np.load reads it.
 */
export class NpzWriter implements Output {
  private readonly members = new Map<string, { spec: MemberSpec; total: number; written: number }>();

  private constructor(private readonly out: OutputFile, private readonly zip: ZipWriter) {}

  static async create(target: string, members: readonly MemberSpec[]): Promise<NpzWriter> {
    const headers = members.map((m) => formatHeader(m.dtype, m.shape));
    const totals = members.map((m) => shapeSize(m.shape, target));
    const out = await OutputFile.create(target);
    const zip = new ZipWriter(out, members.map((m, i) => ({ name: `${m.name}.npy`, size: headers[i].length + totals[i] * itemBytes(m.dtype) })));
    const w = new NpzWriter(out, zip);
    members.forEach((spec, i) => {
      w.members.set(spec.name, { spec, total: totals[i], written: 0 });
      void zip.write(`${spec.name}.npy`, headers[i]).catch(() => {}); // its failure surfaces on the member's next write
    });
    return w;
  }

  /** Append values to array `name`. */
  write(name: string, values: ArrayLike<number>): Promise<void> {
    const m = this.members.get(name);
    if (!m) throw internalError(`no member '${name}' in ${this.out.target}`);
    m.written += values.length;
    if (m.written > m.total) throw internalError(`${m.written} values written to ${this.out.target}:${name}, whose shape holds ${m.total}`);
    return this.zip.write(`${name}.npy`, encodeValues(values, m.spec.dtype));
  }

  async commit(): Promise<void> {
    for (const [name, m] of this.members) {
      if (m.written !== m.total) throw internalError(`${m.written} values written to ${this.out.target}:${name}, whose shape holds ${m.total}`);
    }
    await this.zip.finish();
    await this.out.commit();
  }

  discard(): Promise<void> {
    return this.out.discard();
  }
}
