/**
 * What `canonicalize` and `average` share: their common options, and the run of a
 * dataset through the engine — open, shard, chunk, stream through the pipeline,
 * commit the outputs (or discard them all on failure), report.
 */
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { optionRangeError } from '../errors.js';
import { createEngine, group, type Engine } from '../index.js';
import { OutputFile, parseArraySpec } from '../io/index.js';
import { required, wholeNumber, type Parsed } from './args.js';
import {
  errorsPath, Failures, largestChunk, openDataset, Outputs, pipeline, planChunks, readChunk, rejectOverwrite, resolveShard, shardPath, shardRange,
  type AnyGroup, type ChunkBatch, type Dataset, type Shard,
} from './dataset.js';
import { progress } from './progress.js';

/** Options with values that both dataset commands take. */
export const JOB_VALUES = ['--group', '--input', '--output', '--frames', '--offsets', '--sizes', '--threads', '--shard', '--shard-count', '--tol', '--chunk'] as const;

export const JOB_HELP = `  --group SPEC       the group, as group() takes it: 'SO(3)', 'E(2)', 'U(2)', 'S(n) x SE(3)',
                     'graph', 'weighted-graph', …
  --input FILE       x.npy or data.npz:name (float32 or float64, either byte order):
                     (count, n, d) point sets or (count, n, n) graph adjacency; or, with
                     --offsets or --sizes, flat (rows, d) rows / (Σ n_i²,) adjacency blocks
  --offsets FILE     count+1 row (graphs: vertex) offsets, int32 or int64, from 0
  --sizes FILE       count rows (graphs: vertices) per input, int32 or int64
  --output FILE      the output .npy (written under a temporary name, renamed when complete)
  --frames FILE      a .npz of per-input results (below), and FILE's name with .errors.txt
                     for .npz: one line "input <i>: <message>" per failed input
  --threads N        worker threads (0: on this thread; default: one per core)
  --shard i/N|auto   only the i-th of N contiguous slices of the inputs; auto takes i and N
                     from a Slurm array job (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN,
                     SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job
                     (JOB_COMPLETION_INDEX, N from --shard-count); '{shard}' in output
                     paths becomes i, zero-padded; join shards with minframe concat
  --shard-count N    the number of shards of an Indexed Job (its completions)
  --tol T            relative tolerance (default 1e-9)
  --chunk N          inputs per chunk (default: about 16 MiB of input per chunk)
  --quiet            no progress and no summary`;

export interface JobOptions {
  G: AnyGroup;
  input: string;
  output: string;
  frames: string | null;
  offsets?: string;
  sizes?: string;
  threads: number;
  shard: Shard | null;
  tol?: number;
  chunk?: number;
  quiet: boolean;
}

/** The common options of a parsed command line (usage errors throw). */
export function jobOptions(p: Parsed, command: string, env: Record<string, string | undefined>): JobOptions {
  const G = group(required(p, '--group', command)) as AnyGroup;
  const input = required(p, '--input', command);
  const offsets = p.values.get('--offsets');
  const sizes = p.values.get('--sizes');
  if (offsets !== undefined && sizes !== undefined) throw optionRangeError('give --offsets or --sizes, not both');
  const tolText = p.values.get('--tol');
  const tol = tolText === undefined ? undefined : Number(tolText);
  if (tol !== undefined && !(tolText!.trim() !== '' && tol >= 0 && tol < 1)) throw optionRangeError(`option --tol must be a number in [0, 1), got '${tolText}'`);
  const shard = resolveShard(p.values.get('--shard'), wholeNumber(p, '--shard-count', 1), env);
  const output = shardPath(required(p, '--output', command), shard);
  const frames = p.values.has('--frames') ? shardPath(p.values.get('--frames')!, shard) : null;
  checkOutputPaths(output, frames, [parseArraySpec(input).path, offsets, sizes]);
  return {
    G,
    input,
    output,
    frames,
    offsets,
    sizes,
    threads: wholeNumber(p, '--threads', 0, availableParallelism()),
    shard,
    tol,
    chunk: wholeNumber(p, '--chunk', 1),
    quiet: p.flags.has('--quiet'),
  };
}

/**
 * Outputs named for what they hold (an .npy, a frames .npz: another name would
 * hide the format from whoever opens the file), and none of them a file the run
 * reads: the output replaces its target when the run completes, so an output over
 * the input would lose the input.
 */
function checkOutputPaths(output: string, frames: string | null, reads: (string | undefined)[]): void {
  if (!/\.npy$/i.test(output)) throw optionRangeError(`--output names the output .npy, got '${output}'`);
  if (frames !== null && !/\.npz$/i.test(frames)) throw optionRangeError(`--frames names a .npz, got '${frames}'`);
  rejectOverwrite([output, frames, frames && errorsPath(frames)], reads);
}

/** A command's work on the chunks of its slice of the dataset. */
export interface JobStages<R> {
  compute(batch: ChunkBatch, first: number, end: number): Promise<R>;
  /** Write a chunk's results; `failures` records its per-input errors. */
  write(r: R, first: number, end: number): Promise<void>;
}

export interface JobContext {
  ds: Dataset;
  engine: Engine;
  /** Inputs first .. end-1 of the dataset are this run's. */
  first: number;
  end: number;
  outputs: Outputs;
  failures: Failures;
}

/**
 * Run a dataset command: `stages` builds the command's outputs (added to
 * ctx.outputs) and its compute and write steps. Outputs are committed together
 * when every chunk is written, or all discarded when anything fails.
 */
export async function runJob<R>(opts: JobOptions, verb: string, stages: (ctx: JobContext) => Promise<JobStages<R>>): Promise<void> {
  const ds = await openDataset(opts.G, opts.input, { offsets: opts.offsets, sizes: opts.sizes });
  const outputs = new Outputs();
  let engine: Engine | null = null;
  try {
    const [first, end] = shardRange(ds.count, opts.shard);
    const text = opts.frames === null ? null : outputs.add(await OutputFile.create(errorsPath(opts.frames)));
    const failures = new Failures(text);
    engine = await createEngine({ threads: opts.threads });
    const { compute, write } = await stages({ ds, engine, first, end, outputs, failures });
    const bounds = planChunks(ds, first, end, opts.chunk);
    // two read buffers, reused; shared memory lets the workers read the rows in place
    const bytes = largestChunk(ds, bounds);
    const buffers = [0, 1].map(() => (opts.threads > 0 && !ds.graphs ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)));
    const bar = progress(verb, end - first, opts.quiet);
    const t0 = performance.now();
    try {
      await pipeline(
        bounds.length - 1,
        (k) => readChunk(ds, bounds[k], bounds[k + 1], buffers[k % 2]),
        (k, batch) => compute(batch, bounds[k], bounds[k + 1]),
        async (k, r) => {
          await write(r, bounds[k], bounds[k + 1]);
          bar.update(bounds[k + 1] - first);
        },
      );
    } finally {
      bar.stop();
    }
    await outputs.commit();
    const seconds = (performance.now() - t0) / 1000;
    if (!opts.quiet) report(opts, verb, end - first, seconds, failures);
  } catch (e) {
    await outputs.discard();
    throw e;
  } finally {
    await engine?.close();
    await ds.reader.close();
  }
}

function report(opts: JobOptions, verb: string, count: number, seconds: number, failures: Failures): void {
  const shard = opts.shard ? ` (shard ${opts.shard.index} of ${opts.shard.count})` : '';
  const where = opts.threads === 0 ? 'on this thread' : `on ${opts.threads} worker thread${opts.threads === 1 ? '' : 's'}`;
  console.log(`minframe ${verb}: ${count} inputs${shard} under ${opts.G.spec} in ${seconds.toFixed(2)} s, ${Math.round(count / Math.max(seconds, 1e-9))} inputs/s ${where}; wrote ${opts.output}${opts.frames ? `, ${opts.frames}, ${errorsPath(opts.frames)}` : ''}`);
  if (failures.count > 0) {
    console.log(`${failures.count} input${failures.count === 1 ? '' : 's'} failed${opts.frames ? ` (codes in ${opts.frames}, messages in ${errorsPath(opts.frames)})` : ''}; first: ${failures.first.join('; ')}`);
  }
}
