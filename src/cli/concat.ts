/**
 * `minframe concat`: join the outputs of shards, in the order given — .npy files
 * along their first axis, frames .npz files array by array, and the frames' errors
 * text files — streamed, so the joined file is exactly the unsharded run's output.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileError, optionRangeError } from '../errors.js';
import { listArrays, NpyWriter, NpzWriter, openArray, OutputFile, type ArrayReader, type DTypeName } from '../io/index.js';
import { itemBytes } from '../io/npy.js';
import { parseOptions, required } from './args.js';
import { errorsPath, Outputs, rejectOverwrite } from './dataset.js';

export const CONCAT_USAGE = `usage: minframe concat --output FILE FILE... [--quiet]

Join shard outputs in the order given (names with a zero-padded {shard} sort in
order, so out/c-*.npy works): .npy files along their first axis (same dtype and
trailing shape); .npz frames files array by array (the same arrays in each), with
their .errors.txt files when they have them. The result is written under a
temporary name and renamed when complete.`;

/** Bytes copied per read. */
const COPY_BYTES = 16 << 20;

/** The dtype and shape of the arrays `readers` joined along the first axis (they must agree). */
function joinedShape(readers: readonly ArrayReader[]): { dtype: DTypeName; shape: number[] } {
  const [a] = readers;
  const tail = a.shape.slice(1).join(',');
  let length = 0;
  for (const r of readers) {
    if (r.shape.length === 0) throw fileError(r.file, 'a 0-d array has no first axis to join along');
    if (r.dtype !== a.dtype || r.shape.slice(1).join(',') !== tail) {
      throw fileError(r.file, `${r.dtype} of shape (${r.shape.join(', ')}) does not join ${a.file}'s ${a.dtype} of shape (${a.shape.join(', ')})`);
    }
    length += r.length;
  }
  return { dtype: a.dtype, shape: [length, ...a.shape.slice(1)] };
}

/** Stream every item of `r` to `write`. */
async function copy(r: ArrayReader, write: (values: ArrayLike<number>) => Promise<void>): Promise<void> {
  const step = Math.max(1, Math.floor(COPY_BYTES / Math.max(1, r.itemValues * itemBytes(r.dtype))));
  for (let at = 0; at < r.length; at += step) await write(await r.read(at, Math.min(step, r.length - at)));
}

async function closeAll(readers: ArrayReader[]): Promise<void> {
  await Promise.all(readers.map((r) => r.close()));
}

export function concatCommand(argv: readonly string[]): () => Promise<void> {
  const p = parseOptions(argv, 'concat', { values: ['--output'], flags: ['--quiet'], positionals: true });
  if (p.flags.has('--help')) return async () => console.log(CONCAT_USAGE);
  const output = required(p, '--output', 'concat');
  const inputs = p.positionals;
  if (inputs.length === 0) throw optionRangeError('minframe concat needs the files to join; see minframe concat --help');
  if (!/\.np[yz]$/i.test(output)) throw optionRangeError(`--output names the joined .npy or .npz, got '${output}'`);
  const npz = /\.npz$/i.test(output);
  const wrong = inputs.find((f) => /\.npz$/i.test(f) !== npz);
  if (wrong !== undefined) throw optionRangeError(`${wrong}: join .npz files into an .npz output and .npy files into an .npy output`);
  rejectOverwrite([output, npz ? errorsPath(output) : null], [...inputs, ...(npz ? inputs.map(errorsPath) : [])]);

  return async () => {
    const outputs = new Outputs();
    const readers: ArrayReader[] = [];
    try {
      if (!npz) {
        for (const f of inputs) readers.push(await openArray(f));
        const { dtype, shape } = joinedShape(readers);
        const w = outputs.add(await NpyWriter.create(output, dtype, shape));
        for (const r of readers) await copy(r, (v) => w.write(v));
      } else {
        const names = await listArrays(inputs[0]);
        for (const f of inputs.slice(1)) {
          const own = await listArrays(f);
          if (own.join('\n') !== names.join('\n')) throw fileError(f, `holds the arrays ${own.join(', ')}, but ${inputs[0]} holds ${names.join(', ')}`);
        }
        const members = [];
        for (const name of names) {
          const rs: ArrayReader[] = [];
          for (const f of inputs) rs.push(await openArray(`${f}:${name}`));
          readers.push(...rs);
          members.push({ name, readers: rs, ...joinedShape(rs) });
        }
        const w = outputs.add(await NpzWriter.create(output, members));
        for (const m of members) for (const r of m.readers) await copy(r, (v) => w.write(m.name, v));
        const texts = inputs.map(errorsPath);
        const present = texts.filter((t) => existsSync(t));
        if (present.length > 0) {
          const missing = texts.find((t) => !present.includes(t));
          if (missing !== undefined) throw fileError(missing, 'missing: the other frames files have their errors text file');
          const text = outputs.add(await OutputFile.create(errorsPath(output)));
          for (const t of texts) await text.append(await readFile(t));
        }
      }
      await outputs.commit();
      if (!p.flags.has('--quiet')) console.log(`minframe concat: joined ${inputs.length} files into ${output}`);
    } catch (e) {
      await outputs.discard();
      throw e;
    } finally {
      await closeAll(readers);
    }
  };
}
