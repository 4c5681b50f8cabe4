/**
 * `minframe bunny`, the demo job (`npm start`): random rigid copies of the Stanford
 * bunny canonicalized under SE(3) on the worker pool, then a summary of frame
 * sizes, the equivariance error of an averaged model and throughput.
 */
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { createEngine, equivariant, group } from '../index.js';
import { optionRangeError } from '../errors.js';
import { rng, gaussian, haarSpecialOrthogonal, actRows, relativeError } from '../testing/index.js';

export const BUNNY_USAGE = `usage: minframe bunny [--copies N] [--threads T]

  bunny   canonicalize N randomly rotated and translated copies of the Stanford
          bunny under SE(3) on T worker threads (defaults: N = 2000, T = all cores),
          average a model over the frames and report frame sizes, the
          equivariance error and throughput`;

interface Args {
  copies: number;
  threads: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { copies: 2000, threads: availableParallelism() };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if ((flag === '--copies' || flag === '--threads') && Number.isSafeInteger(value) && value >= (flag === '--copies' ? 1 : 0)) {
      args[flag === '--copies' ? 'copies' : 'threads'] = value;
      i++;
    } else {
      throw optionRangeError(`unknown or invalid option '${flag}${argv[i + 1] !== undefined ? ' ' + argv[i + 1] : ''}'\n\n${BUNNY_USAGE}`);
    }
  }
  return args;
}

/** A text progress bar on stderr (a terminal), or nothing when stderr is piped. */
function progressBar(label: string): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let last = -1;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const fill = Math.round((width * pct) / 100);
    const line = `${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}% (${done}/${total})`;
    if (tty) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (done === total) process.stderr.write(`${line}\n`);
  };
}

/** A smooth, deliberately non-equivariant model on point clouds. */
function model(x: Float64Array, { n, d }: { n: number; d: number }): Float64Array {
  const y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < d; a++) y[r * d + a] = x[r * d + a] + 0.1 * Math.sin(3 * x[r * d + ((a + 1) % d)]) + 0.05 * a;
  }
  return y;
}

async function bunny(args: Args): Promise<void> {
  let positions: number[][];
  try {
    positions = ((await import('bunny')) as { default?: { positions: number[][] }; positions?: number[][] }).default?.positions
      ?? ((await import('bunny')) as { positions: number[][] }).positions;
  } catch {
    throw new Error("the bunny job needs the 'bunny' package (a dev dependency): run it from a checkout after npm ci");
  }
  const n = positions.length;
  const d = 3;
  const G = group('SE(3)');
  const base = Float64Array.from(positions.flat());
  const normal = gaussian(rng(2024));
  const copies = args.copies;
  const data = new Float64Array(copies * n * d);
  const rotations: Float64Array[] = [];
  const shifts: Float64Array[] = [];
  for (let i = 0; i < copies; i++) {
    const g = haarSpecialOrthogonal(normal, d);
    const t = Float64Array.of(10 * normal(), 10 * normal(), 10 * normal());
    rotations.push(g);
    shifts.push(t);
    data.set(actRows(g, base, n, d, t), i * n * d);
  }
  console.log(`minframe: SE(3) frames for ${copies} random rigid copies of the Stanford bunny (${n} points each)`);

  const engine = await createEngine({ threads: args.threads });
  try {
    const batch = { data, dim: d, count: copies };
    const t0 = performance.now();
    const frames = await engine.canonicalize(G, batch, { onProgress: progressBar('frames') });
    const seconds = (performance.now() - t0) / 1000;

    const sizes = new Map<number, number>();
    for (const s of frames.sizes) sizes.set(s, (sizes.get(s) ?? 0) + 1);
    let spread = 0;
    for (let i = 1; i < copies; i++) {
      spread = Math.max(spread, relativeError(frames.canonical.subarray(i * n * d, (i + 1) * n * d), frames.canonical.subarray(0, n * d)));
    }

    const f = equivariant(G, model, { output: 'points', engine });
    const averaged = await f.batch(batch, { onProgress: progressBar('model') });
    const y0 = await f(base, { n, d });
    const errors = new Float64Array(copies);
    for (let i = 0; i < copies; i++) {
      errors[i] = relativeError(averaged.data.subarray(i * n * d, (i + 1) * n * d), actRows(rotations[i], y0, n, d, shifts[i]));
    }
    errors.sort();

    const sizeText = [...sizes].map(([s, c]) => `${c} of size ${s}`).join(', ');
    const threads = engine.threads === 0 ? 'inline on the main thread' : `on ${engine.threads} worker thread${engine.threads === 1 ? '' : 's'}`;
    console.log(`inputs:            ${copies} point sets × ${n} points, ${(data.byteLength / 2 ** 20).toFixed(1)} MiB`);
    console.log(`frame sizes:       ${sizeText}`);
    console.log(`canonical forms:   identical across copies to ${spread.toExponential(1)} (relative)`);
    console.log(`equivariance:      ‖⟨f⟩(g·X) − g·⟨f⟩(X)‖ / ‖g·⟨f⟩(X)‖ median ${errors[copies >> 1].toExponential(1)}, max ${errors[copies - 1].toExponential(1)}`);
    console.log(`throughput:        ${(copies / seconds).toFixed(0)} sets/s, ${((copies * n) / seconds / 1e6).toFixed(1)} M points/s (${(seconds * 1000).toFixed(0)} ms ${threads})`);
  } finally {
    await engine.close();
  }
}

/** The bunny command: its options parsed now (usage errors), the job when run. */
export function bunnyCommand(argv: readonly string[]): () => Promise<void> {
  if (argv.includes('--help')) return async () => console.log(BUNNY_USAGE);
  const args = parseArgs(argv);
  return () => bunny(args);
}
