/**
 * `minframe average`: a model averaged over the frames of a dataset's inputs —
 * equivariant or invariant — a chunk at a time, through equivariant() / invariant()
 * and their .batch on the engine, for every kind of group. The model, a module or an
 * ONNX file, runs on the workers (each loads it once, an ONNX model as one session).
 */
import { optionRangeError } from '../errors.js';
import { equivariant, invariant, InputTypeError } from '../index.js';
import { NpyWriter, NpzWriter, type Output } from '../io/index.js';
import { choice, parseOptions, required } from './args.js';
import { slicedShape, type ChunkBatch } from './dataset.js';
import { JOB_HELP, JOB_VALUES, jobOptions, runJob } from './job.js';
import { modelUrl } from './models.js';

export const AVERAGE_USAGE = `usage: minframe average --group SPEC --mode equivariant|invariant --model MODEL
                        --input FILE --output FILE [options]

A model averaged over the minimal frames of every input of a dataset (exactly
equivariant or invariant), a chunk at a time.

  --mode M           equivariant: outputs transform with the input; invariant: they do not
  --output-kind K    equivariant outputs: vectors (rotate; the default for point groups),
                     points (also translate: E, SE, Aff), nodes (graphs; the default) or
                     edges (graphs)
  --model MODEL      an ES module whose default export is the model, run on each canonical
                     form: (x, { n, d }) => values, x a Float64Array of n×d rows (graphs:
                     the n×n canonical adjacency, d = n); with \`export const batchModel =
                     true\` it takes the stacked batch { data, dim, offsets, count } instead;
                     or an .onnx file: float32 input [batch, n, d], output [batch, n, k]
                     (equivariant) or [batch, k] (invariant), one session per worker
  --model-input NAME, --model-output NAME
                     the ONNX input and output to use (default: the first of each)
  --model-runtime R  the ONNX runtime: onnxruntime-node or onnxruntime-web (default: the
                     first of the two that is installed)
${JOB_HELP}

The output is float64. Equivariant vectors and points: laid out as the input; nodes:
(count, n, k), or (vertices, k) for ragged graphs; edges: (count, n, n, k) or (Σ n_i², k);
invariant: (count, k). k is the width of the model's outputs, the same for every input
(1 if no input has an output). Failed inputs get NaN; the frames file holds only
errors (int32 codes: 0 ok, 1 the input breaks a rule, 2 a model output of the wrong kind
or size, 3 the model threw). Invariant averaging calls a batch model once per input.`;

type Kind = 'vectors' | 'points' | 'nodes' | 'edges';

/** A chunk's outputs: `units`·k values (NaN for failed inputs), or null while k is unknown and no input has one. */
interface ChunkOut {
  values: Float64Array | null;
  units: number;
  errors: (Error | null)[];
}

/**
 * The output .npy of a run whose last axis, k, is learned from the first output:
 * until then chunks without any output are only counted, and their NaN rows are
 * written once the header (with k) is.
 */
class WidthOutput implements Output {
  private writer: NpyWriter | null = null;
  private pending = 0;

  constructor(private readonly target: string, private readonly lead: number[], private readonly width: () => number | null) {}

  async write(out: ChunkOut): Promise<void> {
    if (out.values === null) {
      this.pending += out.units;
      return;
    }
    await this.open();
    await this.writer!.write(out.values);
  }

  private async open(): Promise<void> {
    if (this.writer) return;
    const k = this.width() ?? 1;
    this.writer = await NpyWriter.create(this.target, 'float64', [...this.lead, k]);
    if (this.pending > 0) await this.writer.write(new Float64Array(this.pending * k).fill(NaN));
  }

  async commit(): Promise<void> {
    await this.open();
    await this.writer!.commit();
  }

  async discard(): Promise<void> {
    await this.writer?.discard();
  }
}

/** Values of a model output: a number, an array or a typed array of numbers. */
function outputValues(y: unknown, input: number): ArrayLike<number> {
  if (typeof y === 'number') return [y];
  if (ArrayBuffer.isView(y) && !(y instanceof DataView) && !(y instanceof BigInt64Array) && !(y instanceof BigUint64Array)) return y as unknown as ArrayLike<number>;
  if (Array.isArray(y) && y.every((v) => typeof v === 'number')) return y;
  throw new InputTypeError(input, `the model must return a number, an array or a typed array of numbers, got ${y === null ? 'null' : typeof y}`);
}

/**
 * Place per-input outputs (ys[j] holds units[j]·k values) into one chunk array,
 * learning k from the first output of the run and turning outputs of another width
 * into their input's error. `average` maps an output of known width to what is stored.
 */
function placeOutputs(ys: (ArrayLike<number> | null)[], units: number[], errors: (Error | null)[], state: { k: number | null }, what: string, average: (j: number, y: ArrayLike<number>, k: number) => ArrayLike<number> = (_, y) => y): ChunkOut {
  ys.forEach((y, j) => {
    if (y === null) return;
    const k = y.length / units[j];
    if (state.k === null && Number.isInteger(k) && k > 0) state.k = k;
    if (k !== state.k) {
      const need = state.k === null ? `a whole multiple of ${units[j]} (${units[j]}·k)` : `${units[j] * state.k} (${units[j]}·k, with k = ${state.k} as for the first output)`;
      errors[j] = new InputTypeError(j, `the model returned ${y.length} values; ${what} need ${need}`);
      ys[j] = null;
    }
  });
  const total = units.reduce((s, u) => s + u, 0);
  if (state.k === null) return { values: null, units: total, errors };
  const k = state.k;
  const values = new Float64Array(total * k).fill(NaN);
  let at = 0;
  ys.forEach((y, j) => {
    if (y !== null) values.set(average(j, y, k), at);
    at += units[j] * k;
  });
  return { values, units: total, errors };
}

/**
 * A chunk's flat outputs (`width` values per unit, from one batch call), with k the
 * model's, learned from the first chunk with an output and the same in every chunk.
 */
function flatOutputs(data: Float64Array, width: number, units: number, errors: (Error | null)[], state: { k: number | null }, unit: string): ChunkOut {
  if (errors.every((e) => e !== null)) return { values: null, units, errors };
  state.k ??= width;
  if (width !== state.k) throw optionRangeError(`the model returned ${width} values per ${unit} in one chunk and ${state.k} in another; outputs must have one width k`);
  return { values: data, units, errors };
}

export function averageCommand(argv: readonly string[], env: Record<string, string | undefined>): () => Promise<void> {
  const p = parseOptions(argv, 'average', { values: [...JOB_VALUES, '--mode', '--output-kind', '--model', '--model-input', '--model-output', '--model-runtime'], flags: ['--quiet'] });
  if (p.flags.has('--help')) return async () => console.log(AVERAGE_USAGE);
  const opts = jobOptions(p, 'average', env);
  const mode = choice(p, '--mode', ['equivariant', 'invariant'] as const, undefined);
  if (mode === undefined) throw optionRangeError('minframe average needs --mode equivariant or --mode invariant; see minframe average --help');
  const graphs = opts.G.family === 'graph';
  const G = opts.G;
  const translations = G.family === 'permutation' ? G.base?.translations === true : G.family !== 'graph' && G.translations;
  const kinds: Kind[] = graphs ? ['nodes', 'edges'] : translations ? ['vectors', 'points'] : ['vectors'];
  if (mode === 'invariant' && p.values.has('--output-kind')) throw optionRangeError('--output-kind applies to --mode equivariant');
  const kind = choice(p, '--output-kind', kinds, kinds[0])!;
  const modelFile = required(p, '--model', 'average');
  const onnx = { input: p.values.get('--model-input'), output: p.values.get('--model-output'), runtime: choice(p, '--model-runtime', ['onnxruntime-node', 'onnxruntime-web'] as const, undefined) };
  if (Object.values(onnx).some((v) => v !== undefined) && !/\.onnx$/i.test(modelFile)) throw optionRangeError('--model-input, --model-output and --model-runtime apply to .onnx models');

  return async () => {
    const model = await modelUrl(modelFile, onnx);
    await runJob<ChunkOut>(opts, 'average', async ({ ds, engine, first, end, outputs, failures }) => {
      const m = end - first;
      const state = { k: null as number | null };
      const fixed = mode === 'equivariant' && !graphs;
      const lead = mode === 'invariant' ? [m] : ds.n !== null ? [m, ...(kind === 'edges' ? [ds.n, ds.n] : [ds.n])] : [ds.items[end] - ds.items[first]];
      const out = fixed ? outputs.add(await NpyWriter.create(opts.output, 'float64', slicedShape(ds, first, end))) : outputs.add(new WidthOutput(opts.output, lead, () => state.k));
      const frames = opts.frames === null ? null : outputs.add(await NpzWriter.create(opts.frames, [{ name: 'errors', dtype: 'int32', shape: [m] }]));
      let compute: (batch: ChunkBatch) => Promise<ChunkOut>;
      if (mode === 'equivariant') {
        const options = { engine, tol: opts.tol, output: kind };
        // a batch model says so itself (a module's export, every ONNX model but on graphs, which run it once per input)
        const f = equivariant(G, model, options);
        compute = async (batch) => {
          const r = await f.batch(batch, { errors: 'status' });
          if (fixed) return { values: r.data, units: r.count, errors: r.errors };
          return flatOutputs(r.data, r.width, r.offsets[r.count], r.errors, state, kind === 'edges' ? 'vertex pair' : 'vertex');
        };
      } else {
        const f = invariant(G, model, { engine, tol: opts.tol });
        compute = async (batch) => {
          const r = await f.batch(batch, { errors: 'status' });
          // a batch model's outputs come flat, k per input
          if (r.data) return flatOutputs(r.data, r.width!, r.count, r.errors, state, 'input');
          const errors = r.errors.slice();
          const ys = r.outputs.map((y, j) => {
            if (errors[j]) return null;
            try {
              return outputValues(y, j);
            } catch (e) {
              errors[j] = e as Error;
              return null;
            }
          });
          return placeOutputs(ys, new Array(r.count).fill(1), errors, state, 'invariant outputs');
        };
      }
      return {
        compute,
        async write(r, at) {
          const codes = await failures.record(r.errors, at);
          await Promise.all([
            out instanceof WidthOutput ? out.write(r) : out.write(r.values!),
            frames?.write('errors', codes),
          ]);
        },
      };
    });
  };
}
