/**
 * `minframe canonicalize`: the canonical forms of a dataset's inputs (and, with
 * --frames, what maps outputs back to them), through engine.canonicalize a chunk at
 * a time.
 */
import type { BatchResult, GraphBatchResult, PermutationBatchResult } from '../index.js';
import { NpyWriter, NpzWriter, type MemberSpec } from '../io/index.js';
import { parseOptions } from './args.js';
import { slicedShape, type AnyGroup, type Dataset } from './dataset.js';
import { JOB_HELP, JOB_VALUES, jobOptions, runJob } from './job.js';

export const CANONICALIZE_USAGE = `usage: minframe canonicalize --group SPEC --input FILE --output FILE [options]

Canonical forms c_i = h_i⁻¹·X_i of every input of a dataset, a chunk at a time:
reading, computing (on the worker threads) and writing overlap, so datasets larger
than memory stream through.

${JOB_HELP}

The output holds the canonical forms as float64, laid out as the input. The frames
file holds per input i, as float64 unless noted:
  point groups      matrices (count, d, d) and shifts (count, d), X_i = c_i·M_iᵀ + t_i
                    (complex groups: a last axis of 2, re and im); ranks (int32);
                    sizes: |frame| (inf for a continuous stabilizer)
  S(n), S(n) x G    the same, and permutations (int32; (count, n), or (rows,) for ragged
                    sets): canonical row k of input i is its row permutations[i, k]
  graphs            permutations (int32): canonical vertex k is input vertex
                    permutations[i, k]; orbits (int32): the smallest vertex of each
                    vertex's orbit under Aut; sizes: |Aut|
  all               errors (int32): 0 ok, 1 the input breaks a rule, 2 a value of the
                    wrong kind, 3 the model threw`;

type Result = BatchResult | GraphBatchResult | PermutationBatchResult;

/** The frames file's arrays for inputs first .. end-1. */
function frameMembers(G: AnyGroup, ds: Dataset, first: number, end: number): MemberSpec[] {
  const m = end - first;
  const perVertex = ds.n === null ? [ds.rows[end] - ds.rows[first]] : [m, ds.n];
  const errors: MemberSpec = { name: 'errors', dtype: 'int32', shape: [m] };
  const sizes: MemberSpec = { name: 'sizes', dtype: 'float64', shape: [m] };
  if (G.family === 'graph') {
    return [{ name: 'permutations', dtype: 'int32', shape: perVertex }, { name: 'orbits', dtype: 'int32', shape: perVertex }, sizes, errors];
  }
  const d = ds.dim;
  const complex = G.family === 'unitary' ? [2] : [];
  const linear: MemberSpec[] = [
    { name: 'matrices', dtype: 'float64', shape: [m, d, d, ...complex] },
    { name: 'shifts', dtype: 'float64', shape: [m, d, ...complex] },
    { name: 'ranks', dtype: 'int32', shape: [m] },
    sizes,
  ];
  return G.family === 'permutation' ? [...linear, { name: 'permutations', dtype: 'int32', shape: perVertex }, errors] : [...linear, errors];
}

export function canonicalizeCommand(argv: readonly string[], env: Record<string, string | undefined>): () => Promise<void> {
  const p = parseOptions(argv, 'canonicalize', { values: JOB_VALUES, flags: ['--quiet'] });
  if (p.flags.has('--help')) return async () => console.log(CANONICALIZE_USAGE);
  const opts = jobOptions(p, 'canonicalize', env);
  return () =>
    runJob<Result>(opts, 'canonicalize', async ({ ds, engine, first, end, outputs, failures }) => {
      const G = opts.G;
      const canonical = outputs.add(await NpyWriter.create(opts.output, 'float64', slicedShape(ds, first, end)));
      const members = frameMembers(G, ds, first, end);
      const frames = opts.frames === null ? null : outputs.add(await NpzWriter.create(opts.frames, members));
      // results already written, whose arrays the next calls overwrite (point groups take `into`)
      const spare: BatchResult[] = [];
      return {
        compute: (batch) => {
          const options = { errors: 'status', tol: opts.tol } as const;
          // `into` is for the point groups; the other kinds' results are their own
          return engine.canonicalize(G as never, batch as never, { ...options, into: spare.shift() }) as Promise<Result>;
        },
        async write(r, at) {
          const codes = await failures.record(r.errors, at);
          const fields = r as unknown as Record<string, ArrayLike<number>>;
          await Promise.all([
            canonical.write(r.canonical),
            ...(frames ? members.map((m) => frames.write(m.name, m.name === 'errors' ? codes : fields[m.name])) : []),
          ]);
          if (G.family !== 'graph' && G.family !== 'permutation') spare.push(r as BatchResult);
        },
      };
    });
}
