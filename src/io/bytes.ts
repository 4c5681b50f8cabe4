/**
 * Byte sources for the array readers: a byte range of a file, read with positional
 * reads (an .npy file, a stored .npz member), or the inflated bytes of a deflated
 * .npz member, produced forward by fflate's streaming Inflate so that a member
 * larger than memory is read a window at a time.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Inflate } from 'fflate';
import { fileError, FileFormatError } from '../errors.js';

export interface ByteSource {
  /** Bytes in the source (for an inflated member, its size as the zip directory states). */
  readonly size: number;
  /** Fill `into` with the bytes from `position` on; a FileFormatError when the source ends first. */
  read(position: number, into: Uint8Array): Promise<void>;
}

/** Why an fs call failed, in words (the code of a Node system error, else its message). */
export function systemReason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOSPC') return 'no space left on the device';
  return e instanceof Error ? e.message : String(e);
}

/** Open `path` for reading; failures are FileFormatErrors naming `file`. */
export async function openFile(path: string, file: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw fileError(file, `cannot open: ${systemReason(e)}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw fileError(file, 'cannot open: not a regular file');
    return { handle, size: stat.size };
  } catch (e) {
    await handle.close();
    throw e instanceof FileFormatError ? e : fileError(file, `cannot open: ${systemReason(e)}`);
  }
}

/** Bytes start .. start+size-1 of an open file. */
export function fileRange(handle: FileHandle, start: number, size: number, file: string): ByteSource {
  return {
    size,
    async read(position, into) {
      if (position + into.length > size) throw fileError(file, `truncated: ${into.length} bytes wanted at ${position}, the data has ${size}`);
      let done = 0;
      while (done < into.length) {
        let got: number;
        try {
          ({ bytesRead: got } = await handle.read(into, done, into.length - done, start + position + done));
        } catch (e) {
          throw fileError(file, `cannot read: ${systemReason(e)}`);
        }
        if (got === 0) throw fileError(file, `truncated: the file ended ${into.length - done} bytes short`);
        done += got;
      }
    },
  };
}

/** Compressed bytes read per step; deflate expands at most ~1032×, so one step yields at most ~64 MiB. */
const STEP = 1 << 16;

/**
 * The inflated bytes of a raw deflate stream held in `compressed`, produced forward:
 * reads ask for increasing positions (the readers read the leading axis in order);
 * asking for bytes already dropped starts the stream again from the beginning.
 */
export function inflatedSource(compressed: ByteSource, size: number, file: string): ByteSource {
  let inflate: Inflate;
  let pending: Uint8Array[]; // inflated chunks not yet consumed, the first starting at `base`
  let base: number;
  let consumed: number; // compressed bytes pushed
  let ended: boolean;
  const restart = () => {
    pending = [];
    base = 0;
    consumed = 0;
    ended = false;
    inflate = new Inflate((chunk, final) => {
      if (chunk.length > 0) pending.push(chunk);
      if (final) ended = true;
    });
  };
  restart();
  const buffered = () => pending.reduce((s, c) => s + c.length, 0);
  const step = async () => {
    if (ended || consumed >= compressed.size) throw fileError(file, `truncated: the compressed data ends before its ${size} bytes`);
    const chunk = new Uint8Array(Math.min(STEP, compressed.size - consumed));
    await compressed.read(consumed, chunk);
    consumed += chunk.length;
    try {
      inflate.push(chunk, consumed === compressed.size);
    } catch (e) {
      throw fileError(file, `bad compressed data: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return {
    size,
    async read(position, into) {
      if (position + into.length > size) throw fileError(file, `truncated: ${into.length} bytes wanted at ${position}, the data has ${size}`);
      if (position < base) restart();
      while (base + buffered() < position + into.length) await step();
      // drop the chunks wholly before `position`, then copy out
      while (pending.length > 0 && base + pending[0].length <= position) base += pending.shift()!.length;
      let at = base;
      let done = 0;
      for (const c of pending) {
        const from = Math.max(0, position + done - at);
        const take = Math.min(c.length - from, into.length - done);
        if (take > 0) {
          into.set(c.subarray(from, from + take), done);
          done += take;
        }
        at += c.length;
        if (done === into.length) break;
      }
    },
  };
}
