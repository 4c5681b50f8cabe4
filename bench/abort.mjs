// Abort: how long a call whose model never settles takes to reject once its signal
// aborts (target: within 100 ms), inline and on an engine of 2 workers, per-input and
// batch models, a function and a module model; for a module model on a worker also
// how long until the pool has replaced that worker and the engine's next call is done.
// The model is test/fixtures/models/hang.mjs: it says it has been called (a
// BroadcastChannel, from whichever thread runs it), and the signal aborts only then.
import { createEngine, equivariant } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { summarize, table } from './lib.mjs';

const HANG = new URL('../test/fixtures/models/hang.mjs', import.meta.url);
const SINE = new URL('../test/fixtures/models/sine.mjs', import.meta.url);

/** Resolves once a hang.mjs model has been called on any thread, or `call` has settled. */
function called(call) {
  const channel = new BroadcastChannel('minframe-hang');
  return Promise.race([new Promise((resolve) => (channel.onmessage = resolve)), call]).finally(() => channel.close());
}

/** ms from abort() to the call's rejection (an AbortError, or this throws), and the rejection. */
async function abortLatency(start) {
  const ctl = new AbortController();
  const call = start(ctl.signal).then(
    () => {
      throw new Error('bench abort: the call resolved');
    },
    (e) => e,
  );
  // (a call that fails before its model runs settles this too, and is reported below)
  await called(call);
  const t0 = performance.now();
  ctl.abort(new Error('bench'));
  const e = await call;
  const ms = performance.now() - t0;
  if (e?.name !== 'AbortError') throw new Error(`bench abort: rejected with ${e?.name}: ${e?.message}`);
  return ms;
}

export async function benchAbort({ repeat = 15, sets = 64, n = 16 } = {}) {
  const batch = { data: gaussianMatrix(gaussian(rng(5)), sets * n, 3), dim: 3, count: sets };
  const { default: hang } = await import(HANG.href);
  const engine = await createEngine({ threads: 2 });
  try {
    const sine = equivariant('SO(3)', SINE, { engine });
    const want = await sine.batch(batch);
    const cases = [
      ['function model, inline', (signal) => equivariant('SO(3)', hang).batch(batch, { signal })],
      ['function model, batchModel, inline', (signal) => equivariant('SO(3)', hang, { batchModel: true }).batch(batch, { signal })],
      ['function model, engine of 2 workers', (signal) => equivariant('SO(3)', hang, { engine }).batch(batch, { signal })],
      ['function model, batchModel, engine of 2 workers', (signal) => equivariant('SO(3)', hang, { engine, batchModel: true }).batch(batch, { signal })],
      ['module model on a worker', (signal) => equivariant('SO(3)', HANG, { engine }).batch(batch, { signal })],
    ];
    const rows = [];
    for (const [name, start] of cases) {
      const runs = [];
      const after = [];
      for (let r = 0; r < repeat; r++) {
        runs.push(await abortLatency(start));
        if (name.startsWith('module')) {
          // the next call needs the replaced worker: time it, and check its bits
          const t0 = performance.now();
          const r2 = await sine.batch(batch);
          after.push(performance.now() - t0);
          if (Buffer.compare(Buffer.from(r2.data.buffer, r2.data.byteOffset, r2.data.byteLength), Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength)) !== 0) {
            throw new Error('bench abort: the call after an abort gave other bits');
          }
        }
      }
      rows.push({ name, ms: summarize(runs), next: after.length ? summarize(after) : null });
    }
    return { repeat, sets, n, rows };
  } finally {
    await engine.close();
  }
}

export function abortTable({ repeat, sets, n, rows }) {
  const ms = (t) => `${t.median.toFixed(2)} (${t.min.toFixed(2)}–${t.max.toFixed(2)})`;
  return table(
    [`a model that never settles, SO(3), ${sets} sets × ${n} points, ${repeat} aborts each`, 'abort() to AbortError, ms (target ≤ 100)', 'the next call on the engine, ms (its worker replaced)'],
    rows.map((r) => [r.name, ms(r.ms), r.next ? ms(r.next) : '—']),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(abortTable(await benchAbort()));
