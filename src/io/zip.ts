/**
 * The zip container of .npz files (PKWARE APPNOTE 6.3): reading the central
 * directory (zip64 included: np.savez writes every member with zip64 fields) and
 * member bytes, stored or deflated; writing stored members, always in zip64 form so
 * that one code path serves every size. Written archives are deterministic (fixed
 * timestamps), so equal contents give equal bytes.
 */
import type { FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { fileError } from '../errors.js';
import { fileRange, inflatedSource, type ByteSource } from './bytes.js';
import type { OutputFile } from './output.js';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the member's local header. */
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const U32_MAX = 0xffffffff;
/** Central directories larger than this are refused (an .npz holds a handful of arrays). */
const MAX_DIRECTORY = 64 << 20;

async function readBytes(src: ByteSource, position: number, length: number): Promise<DataView> {
  const b = new Uint8Array(length);
  await src.read(position, b);
  return new DataView(b.buffer);
}

function u64(view: DataView, at: number, file: string): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw fileError(file, 'bad zip directory: a size or offset past 2^53');
  return Number(v);
}

/** The members of the zip archive in `src` (the whole file). */
export async function readDirectory(src: ByteSource, file: string): Promise<ZipEntry[]> {
  const bad = (what: string) => fileError(file, `not a valid .npz (zip) archive: ${what}`);
  // the end record is the last 22 bytes plus a comment of at most 65535 bytes
  const tail = Math.min(src.size, 22 + 0xffff);
  if (tail < 22) throw bad('too short');
  const end = await readBytes(src, src.size - tail, tail);
  let at = -1;
  for (let i = tail - 22; i >= 0; i--) {
    if (end.getUint32(i, true) === EOCD && i + 22 + end.getUint16(i + 20, true) <= tail) {
      at = i;
      break;
    }
  }
  if (at < 0) throw bad('no end of central directory record');
  let entries = end.getUint16(at + 10, true);
  let size = end.getUint32(at + 12, true);
  let offset = end.getUint32(at + 16, true);
  const eocdPos = src.size - tail + at;
  if (eocdPos >= 20) {
    const loc = await readBytes(src, eocdPos - 20, 20);
    if (loc.getUint32(0, true) === ZIP64_LOCATOR) {
      const recPos = u64(loc, 8, file);
      if (recPos + 56 > src.size) throw bad('the zip64 end record lies outside the file');
      const rec = await readBytes(src, recPos, 56);
      if (rec.getUint32(0, true) !== ZIP64_EOCD) throw bad('no zip64 end record where the locator points');
      entries = u64(rec, 32, file);
      size = u64(rec, 40, file);
      offset = u64(rec, 48, file);
    }
  }
  if (offset + size > src.size || size > MAX_DIRECTORY) throw bad('the central directory lies outside the file');
  const dir = await readBytes(src, offset, size);
  const out: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < entries; k++) {
    if (p + 46 > size || dir.getUint32(p, true) !== CENTRAL) throw bad(`central directory entry ${k} is damaged`);
    const flags = dir.getUint16(p + 8, true);
    const method = dir.getUint16(p + 10, true);
    let compressedSize = dir.getUint32(p + 20, true);
    let usize = dir.getUint32(p + 24, true);
    const nameLen = dir.getUint16(p + 28, true);
    const extraLen = dir.getUint16(p + 30, true);
    const commentLen = dir.getUint16(p + 32, true);
    let localOffset = dir.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > size) throw bad(`central directory entry ${k} is damaged`);
    const name = new TextDecoder().decode(new Uint8Array(dir.buffer, p + 46, nameLen));
    // zip64: the fields stored as 0xffffffff follow in the extra field, in this order
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen;) {
      const id = dir.getUint16(e, true);
      const len = dir.getUint16(e + 2, true);
      if (e + 4 + len > p + 46 + nameLen + extraLen) throw bad(`the extra field of '${name}' is damaged`);
      if (id === ZIP64_EXTRA) {
        let q = e + 4;
        const next = () => {
          if (q + 8 > e + 4 + len) throw bad(`the zip64 field of '${name}' is too short`);
          const v = u64(dir, q, file);
          q += 8;
          return v;
        };
        if (usize === U32_MAX) usize = next();
        if (compressedSize === U32_MAX) compressedSize = next();
        if (localOffset === U32_MAX) localOffset = next();
      }
      e += 4 + len;
    }
    if (flags & 1) throw fileError(file, `member '${name}' is encrypted`);
    if (method !== 0 && method !== 8) throw fileError(file, `member '${name}' uses compression method ${method}; only stored and deflated members are read`);
    if (method === 0 && compressedSize !== usize) throw bad(`stored member '${name}' has different stored and original sizes`);
    out.push({ name, method, compressedSize, size: usize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The bytes of a member (inflated as they are read when deflated). */
export async function memberSource(handle: FileHandle, fileSize: number, entry: ZipEntry, file: string): Promise<ByteSource> {
  const whole = fileRange(handle, 0, fileSize, file);
  if (entry.localOffset + 30 > fileSize) throw fileError(file, `the local header of '${entry.name}' lies outside the file`);
  const local = await readBytes(whole, entry.localOffset, 30);
  if (local.getUint32(0, true) !== LOCAL) throw fileError(file, `no local header for '${entry.name}'`);
  const start = entry.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  if (start + entry.compressedSize > fileSize) throw fileError(file, `truncated: member '${entry.name}' ends past the end of the file`);
  const raw = fileRange(handle, start, entry.compressedSize, file);
  return entry.method === 0 ? raw : inflatedSource(raw, entry.size, file);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (the zip polynomial) of `b`, continued from `crc` (0 to start), a byte at a time. */
export function crc32Table(b: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of `b` continued from `crc`: node:zlib's (Node >= 20.15, about 5× faster), else crc32Table. */
export const crc32: (b: Uint8Array, crc?: number) => number = (zlib as { crc32?: (b: Uint8Array, crc?: number) => number }).crc32 ?? crc32Table;

/** A member as the writer lays it out: its local header, then `size` bytes of data. */
interface Slot {
  name: Uint8Array;
  offset: number;
  size: number;
  written: number;
  crc: number;
  /** The member's writes, chained: each starts after the previous one. */
  queue: Promise<void>;
}

const LOCAL_LEN = 30 + 20; // + name: the fixed header and a zip64 extra (sizes)
const CENTRAL_LEN = 46 + 28; // + name: the fixed header and a zip64 extra (sizes and offset)
const DATE_1980 = (1 << 5) | 1; // DOS date 1980-01-01, time 00:00

/**
 * A zip archive of stored members whose sizes are known up front: every member's
 * place in the file is fixed when the writer is made, so members are written at
 * once, each in order, and the headers (with their CRCs) go in at the end.
 */
export class ZipWriter {
  private readonly slots = new Map<string, Slot>();
  private readonly dataEnd: number;

  constructor(private readonly out: OutputFile, members: { name: string; size: number }[]) {
    let offset = 0;
    for (const m of members) {
      const name = new TextEncoder().encode(m.name);
      this.slots.set(m.name, { name, offset, size: m.size, written: 0, crc: 0, queue: Promise.resolve() });
      offset += LOCAL_LEN + name.length + m.size;
    }
    this.dataEnd = offset;
  }

  /** Append `bytes` to member `name` (writes to one member run in call order). */
  write(name: string, bytes: Uint8Array): Promise<void> {
    const s = this.slots.get(name)!;
    const at = s.written;
    s.written += bytes.length;
    s.crc = crc32(bytes, s.crc);
    const run = s.queue.then(() => this.out.writeAt(bytes, s.offset + LOCAL_LEN + s.name.length + at));
    s.queue = run;
    return run;
  }

  /** Write the headers and the directory once every member is complete. */
  async finish(): Promise<void> {
    const central: Uint8Array[] = [];
    for (const s of this.slots.values()) {
      await s.queue;
      const local = new DataView(new ArrayBuffer(LOCAL_LEN + s.name.length));
      header(local, LOCAL, s, 4);
      local.setUint16(26, s.name.length, true);
      local.setUint16(28, 20, true);
      new Uint8Array(local.buffer).set(s.name, 30);
      local.setUint16(30 + s.name.length, ZIP64_EXTRA, true);
      local.setUint16(32 + s.name.length, 16, true);
      local.setBigUint64(34 + s.name.length, BigInt(s.size), true);
      local.setBigUint64(42 + s.name.length, BigInt(s.size), true);
      await this.out.writeAt(new Uint8Array(local.buffer), s.offset);

      const c = new DataView(new ArrayBuffer(CENTRAL_LEN + s.name.length));
      c.setUint16(4, 45, true); // made by: zip 4.5 (zip64)
      header(c, CENTRAL, s, 6);
      c.setUint16(28, s.name.length, true);
      c.setUint16(30, 28, true);
      c.setUint32(42, U32_MAX, true);
      new Uint8Array(c.buffer).set(s.name, 46);
      const e = 46 + s.name.length;
      c.setUint16(e, ZIP64_EXTRA, true);
      c.setUint16(e + 2, 24, true);
      c.setBigUint64(e + 4, BigInt(s.size), true);
      c.setBigUint64(e + 12, BigInt(s.size), true);
      c.setBigUint64(e + 20, BigInt(s.offset), true);
      central.push(new Uint8Array(c.buffer));
    }
    const dirSize = central.reduce((t, c) => t + c.length, 0);
    const tail = new DataView(new ArrayBuffer(56 + 20 + 22));
    const count = BigInt(this.slots.size);
    tail.setUint32(0, ZIP64_EOCD, true);
    tail.setBigUint64(4, 44n, true); // size of the rest of this record
    tail.setUint16(12, 45, true);
    tail.setUint16(14, 45, true);
    tail.setBigUint64(24, count, true);
    tail.setBigUint64(32, count, true);
    tail.setBigUint64(40, BigInt(dirSize), true);
    tail.setBigUint64(48, BigInt(this.dataEnd), true);
    tail.setUint32(56, ZIP64_LOCATOR, true);
    tail.setBigUint64(64, BigInt(this.dataEnd + dirSize), true);
    tail.setUint32(72, 1, true); // disks
    tail.setUint32(76, EOCD, true);
    tail.setUint16(84, 0xffff, true); // entries, size and offset: in the zip64 record
    tail.setUint16(86, 0xffff, true);
    tail.setUint32(88, U32_MAX, true);
    tail.setUint32(92, U32_MAX, true);
    const bytes = new Uint8Array(dirSize + tail.byteLength);
    let at = 0;
    for (const c of central) {
      bytes.set(c, at);
      at += c.length;
    }
    bytes.set(new Uint8Array(tail.buffer), at);
    await this.out.writeAt(bytes, this.dataEnd);
  }
}

/** The fields local and central headers share, from `at` (version needed) on. */
function header(v: DataView, signature: number, s: Slot, at: number): void {
  v.setUint32(0, signature, true);
  v.setUint16(at, 45, true); // version needed: zip64
  v.setUint16(at + 2, 0, true); // flags
  v.setUint16(at + 4, 0, true); // stored
  v.setUint16(at + 6, 0, true); // time
  v.setUint16(at + 8, DATE_1980, true);
  v.setUint32(at + 10, s.crc, true);
  v.setUint32(at + 14, U32_MAX, true); // sizes: in the zip64 field
  v.setUint32(at + 18, U32_MAX, true);
}
