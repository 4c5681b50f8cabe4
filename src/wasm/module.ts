/**
 * The single WASM loader and the memory arena.
 *
 * One module instance per thread (and one more per wrapper that keeps a large batch's
 * frames in WASM memory: spawnKernels). TypeScript owns each instance's linear memory: an
 * arena bump-allocates from the end of the module's static data, grows the memory
 * when needed, and hands out typed views. Growing detaches old views, so callers
 * take views only after their last allocation (or call the view helpers again).
 */
import { wasmBytes, syncCompile } from './bytes.js';
import { KernelError, MemoryLimitError, NotReadyError } from '../errors.js';

/**
 * The ABI every family_frames kernel shares: per input i, the frame matrix at m
 * (d² values, 2d² complex), the shift (d, 2d complex; the caller zeroes it, groups
 * without translations leave it), rank[i] (i32), status[2i..2i+1] (f64: a family's
 * code and value for inputs without a frame or with a doubtful one; the caller
 * zeroes it) and the canonical rows. It returns how many inputs it marked for
 * scaling instead (status FRAMES_RESCALE, assembly/linalg/scale.ts; see runFrames).
 */
export type FramesKernel = (x: number, offsets: number, count: number, d: number, flags: number, tol: number,
  work: number, m: number, shift: number, rank: number, status: number, canonical: number) => number;

/** The kernel ABI exported by assembly/index.ts (pointers are byte offsets). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  mem_base(): number;
  mem_simd(): number;
  linalg_apply(x: number, offsets: number, count: number, d: number, m: number, mStride: number,
    pre: number, preStride: number, post: number, postStride: number, out: number, work: number): void;
  linalg_centroid(x: number, offsets: number, count: number, d: number, out: number): void;
  linalg_gram(x: number, offsets: number, count: number, d: number, metric: number, out: number): void;
  linalg_qr(a: number, count: number, k: number, d: number, u: number, r: number): void;
  linalg_select(x: number, offsets: number, count: number, d: number, tol: number, work: number,
    picked: number, rank: number): void;
  linalg_det(a: number, count: number, d: number, work: number, out: number): void;
  linalg_nonfinite(x: number, offsets: number, count: number, rowLen: number, flags: number): number;
  linalg_inverse(a: number, count: number, d: number, work: number, out: number, cond: number): void;
  cplx_apply(x: number, offsets: number, count: number, d: number, m: number, mStride: number, out: number, work: number): void;
  cplx_gram(x: number, offsets: number, count: number, d: number, out: number): void;
  cplx_qr(a: number, count: number, k: number, d: number, work: number, u: number, r: number): void;
  ortho_work(d: number): number;
  ortho_frames: FramesKernel;
  lorentz_work(d: number): number;
  lorentz_frames: FramesKernel;
  unitary_work(d: number): number;
  unitary_frames: FramesKernel;
  linear_work(d: number): number;
  linear_frames: FramesKernel;
  perm_work(n: number, d: number, values: number): number;
  perm_colours(x: number, offsets: number, count: number, d: number, flags: number, tol: number, work: number,
    colour: number, order: number, discrete: number): number;
  perm_edges(x: number, offsets: number, count: number, d: number, flags: number, tol: number,
    tied: number, tiedOffsets: number, work: number, ids: number): void;
  cluster_work(m: number): number;
  cluster_values(values: number, m: number, tol: number, zero: number, work: number, ids: number): void;
  cluster_columns(x: number, offsets: number, count: number, d: number, tol: number, work: number, ids: number): void;
  canon_work(n: number, entries: number): number;
  canon_csr(adj: number, n: number, rowPtr: number, col: number, ecol: number, e0: number, bits: number, binary: number): number;
  canon_from_f64(src: number, count: number, dst: number): number;
  canon_check_work(n: number, entries: number): number;
  canon_check_csr(n: number, rowPtr: number, col: number, ecol: number, work: number): number;
  canon_twins_work(n: number): number;
  canon_twins(n: number, rowPtr: number, col: number, ecol: number, vcol: number, work: number, rep: number): number;
  canon_label(count: number, voff: number, rowPtr: number, col: number, ecol: number, vcol: number, work: number,
    lab: number, orbits: number, sizes: number, gens: number, genOff: number, ngens: number, reduceFrom: number): void;
  canon_refine(count: number, voff: number, rowPtr: number, col: number, ecol: number, vcol: number, work: number, cells: number): void;
  fa_work(d: number): number;
  fa_moments(x: number, offsets: number, count: number, d: number, flags: number, work: number, shift: number, a: number): void;
  fa_eigh(a: number, count: number, d: number, work: number, values: number, vectors: number): void;
  fa_expand(x: number, offsets: number, count: number, d: number, flags: number, tol: number, values: number, vectors: number,
    shift: number, pick: number, work: number, matrices: number, canonical: number): void;
  fa_average(y: number, offsets: number, count: number, d: number, elementOffsets: number, matrices: number, shift: number, out: number): void;
  linalg_apply_t(x: number, offsets: number, count: number, d: number, m: number, mStride: number,
    pre: number, preStride: number, post: number, postStride: number, out: number, work: number): void;
  cplx_apply_t(x: number, offsets: number, count: number, d: number, m: number, mStride: number, out: number, work: number): void;
  linalg_pinv_work(n: number, r: number): number;
  linalg_pinv(c: number, n: number, d: number, r: number, autos: number, count: number, work: number, maps: number, signs: number): void;
  avg_work(items: number, dim: number): number;
  avg_orbits(y: number, voff: number, count: number, dim: number, flags: number, perm: number, orbit: number, sizes: number, out: number, work: number): void;
  avg_elements(y: number, offsets: number, d: number, list: number, count: number, autos: number, maps: number, signs: number, out: number, work: number): void;
  avg_pair_orbits(voff: number, count: number, gens: number, ngens: number, out: number): void;
}

const PAGE = 65536;

/** Bump allocator over the module memory. */
export class Arena {
  private top: number;
  /**
   * The memory's size and whole-memory views as of the last grow: only alloc grows
   * the memory (kernels never allocate), and reading memory.buffer costs about as
   * much as a small kernel call.
   */
  private bytes: number;
  private heapI32: Int32Array | null = null;
  private heapF64: Float64Array | null = null;
  constructor(readonly exports: KernelExports) {
    this.top = exports.mem_base();
    this.bytes = exports.memory.buffer.byteLength;
  }

  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  /** Current allocation mark, for `release`. */
  mark(): number {
    return this.top;
  }

  /** Free everything allocated since `mark`. */
  release(mark: number): void {
    this.top = mark;
  }

  /** Reserve `bytes` (16-byte aligned), growing memory as needed. */
  alloc(bytes: number): number {
    const ptr = (this.top + 15) & ~15;
    const end = ptr + Math.max(0, bytes);
    if (end > this.bytes) {
      const pages = Math.ceil((end - this.bytes) / PAGE);
      try {
        this.memory.grow(pages);
      } catch {
        throw new MemoryLimitError(Math.ceil(end / 2 ** 20));
      }
      this.bytes = this.memory.buffer.byteLength;
      this.heapI32 = null;
      this.heapF64 = null;
    }
    this.top = end;
    return ptr;
  }

  /** The whole memory as i32 (index = byte pointer >>> 2); valid until the next alloc that grows memory. */
  heap32(): Int32Array {
    return (this.heapI32 ??= new Int32Array(this.memory.buffer));
  }

  /** The whole memory as f64 (index = byte pointer >>> 3); valid until the next alloc that grows memory. */
  heap64(): Float64Array {
    return (this.heapF64 ??= new Float64Array(this.memory.buffer));
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  /** The byte pointer of `a` when it is a view on this memory (kernels read it in place), else −1. */
  pointerOf(a: ArrayBufferView): number {
    return a.buffer === this.memory.buffer ? a.byteOffset : -1;
  }

  /** Copy `src` into fresh arena memory as f64 (converting Float32 input). */
  putF64(src: ArrayLike<number>): number {
    const ptr = this.alloc(src.length * 8);
    const view = this.f64(ptr, src.length);
    if (src instanceof Float64Array || src instanceof Float32Array) view.set(src);
    else for (let i = 0; i < src.length; i++) view[i] = src[i];
    return ptr;
  }

  putI32(src: ArrayLike<number>): number {
    const ptr = this.alloc(src.length * 4);
    this.i32(ptr, src.length).set(src);
    return ptr;
  }
}

export interface Kernels {
  exports: KernelExports;
  arena: Arena;
  simd: boolean;
  /** The compiled build this instance came from (spawnKernels makes more of it). */
  module: WebAssembly.Module;
}

/** A tiny module that uses a v128 instruction: validates only where SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/** Whether this runtime runs WebAssembly SIMD (fixed-width, not relaxed). */
export function simdSupported(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

function instantiate(module: WebAssembly.Module, simd: boolean): Kernels {
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new KernelError('call', `aborted at ${line}:${col}`);
      },
    },
  });
  const exports = instance.exports as unknown as KernelExports;
  return { exports, arena: new Arena(exports), simd, module };
}

let current: Kernels | undefined;
let pending: Promise<Kernels> | undefined;

/**
 * Compile and instantiate the kernels (SIMD where supported, else the scalar build).
 * Needed once before the synchronous API in browsers; optional in Node.
 */
export function ready(options: { simd?: boolean } = {}): Promise<Kernels> {
  if (current && options.simd === undefined) return Promise.resolve(current);
  if (pending && options.simd === undefined) return pending;
  const simd = options.simd ?? simdSupported();
  const p = WebAssembly.compile(wasmBytes(simd) as BufferSource).then((m) => (current = instantiate(m, simd)));
  if (options.simd === undefined) pending = p;
  return p;
}

/** The kernels of this thread, loading them synchronously where the runtime allows. */
export function kernels(): Kernels {
  if (current) return current;
  if (!syncCompile) {
    throw new NotReadyError();
  }
  current = loadKernels({ simd: simdSupported() });
  return current;
}

/** A separate instance of either build (tests compare the SIMD and scalar builds with it). */
export function loadKernels(options: { simd: boolean }): Kernels {
  return instantiate(new WebAssembly.Module(wasmBytes(options.simd) as BufferSource), options.simd);
}

/**
 * Another instance of `k`'s build, with a memory of its own: what its owner places
 * there stays put (no other call allocates in it, grows it or overwrites it) while
 * it awaits a model (src/kinds/points.ts pointFramedHere). About 0.1 ms to make.
 */
export function spawnKernels(k: Kernels): Kernels {
  return instantiate(k.module, k.simd);
}

/**
 * Run `fn` with arena allocations released afterwards. WASM traps (RuntimeError)
 * are re-thrown naming the kernel that trapped.
 */
export function withArena<T>(k: Kernels, kernel: string, fn: (arena: Arena) => T): T {
  const mark = k.arena.mark();
  try {
    return fn(k.arena);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      throw new KernelError(kernel, `trapped: ${e.message}`, e);
    }
    throw e;
  } finally {
    k.arena.release(mark);
  }
}
