/**
 * Output files that appear whole or not at all: each is written under a temporary
 * name next to its target (the same directory, so the final rename stays on one
 * file system and is atomic) and renamed once complete. A failed run discards its
 * temporary files; a killed one leaves at most a hidden `.name.<pid>-<id>.tmp`,
 * never a partial file under the final name.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { fileError } from '../errors.js';
import { systemReason } from './bytes.js';

/** Temporary files not yet committed or discarded, with their open handles, for discardPendingSync. */
const pending = new Map<string, FileHandle>();

/**
 * Remove every temporary file of this process not yet committed (from a signal
 * handler: the unlinks happen now; the handles are closed as soon as the event loop
 * runs, which a process that goes on — a test — needs, so none is left to the GC).
 */
export function discardPendingSync(): void {
  for (const [temp, handle] of pending) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    handle.close().catch(() => {});
  }
  pending.clear();
}

export class OutputFile {
  /** Bytes written so far by append (and the end of the data written at positions). */
  private end = 0;

  private constructor(readonly target: string, readonly temp: string, private readonly handle: FileHandle) {}

  /** A new temporary file for `target`; fails (naming `target`) when its directory cannot take it. */
  static async create(target: string): Promise<OutputFile> {
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    let handle: FileHandle;
    try {
      handle = await open(temp, 'wx');
    } catch (e) {
      throw fileError(target, `cannot create: ${systemReason(e)}`);
    }
    pending.set(temp, handle);
    return new OutputFile(target, temp, handle);
  }

  /** Write all of `bytes` at `position`. */
  async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    let done = 0;
    try {
      while (done < bytes.length) done += (await this.handle.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
    } catch (e) {
      throw fileError(this.target, `cannot write: ${systemReason(e)}`);
    }
    this.end = Math.max(this.end, position + bytes.length);
  }

  /** Write `bytes` after everything written so far (callers await each append before the next). */
  append(bytes: Uint8Array): Promise<void> {
    return this.writeAt(bytes, this.end);
  }

  /** Close the file and give it its final name. */
  async commit(): Promise<void> {
    try {
      await this.handle.close();
      await rename(this.temp, this.target);
    } catch (e) {
      await this.discard();
      throw fileError(this.target, `cannot write: ${systemReason(e)}`);
    }
    pending.delete(this.temp);
  }

  /** Close and remove the temporary file (idempotent; never throws). */
  async discard(): Promise<void> {
    if (!pending.delete(this.temp)) return;
    await this.handle.close().catch(() => {});
    await unlink(this.temp).catch(() => {});
  }
}
