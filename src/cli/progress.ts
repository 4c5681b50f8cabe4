/**
 * Progress of a dataset command on stderr: a cli-progress bar with throughput and
 * ETA on a terminal, a plain line every PLAIN_INTERVAL_MS (and one at the end) when
 * stderr is a pipe or a file, nothing with --quiet.
 */
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';

export interface Progress {
  /** `done` of the total inputs are finished. */
  update(done: number): void;
  /** The run is over (the bar stays on screen; a plain run prints its last line). */
  stop(): void;
}

const PLAIN_INTERVAL_MS = 10_000;

const rate = (done: number, ms: number) => (ms > 0 ? Math.round((1000 * done) / ms) : 0);

export function progress(label: string, total: number, quiet: boolean): Progress {
  if (quiet) return { update() {}, stop() {} };
  const t0 = performance.now();
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} inputs | {speed} inputs/s | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { speed: 0 });
    return {
      update: (done) => bar.update(done, { speed: rate(done, performance.now() - t0) }),
      stop: () => bar.stop(),
    };
  }
  let last = t0;
  let done = 0;
  const line = () => {
    const ms = performance.now() - t0;
    const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
    const r = rate(done, ms);
    const eta = r > 0 && done < total ? `, ETA ${Math.ceil((total - done) / r)} s` : '';
    process.stderr.write(`${label}: ${pct}% (${done}/${total} inputs), ${r} inputs/s${eta}\n`);
  };
  return {
    update(d) {
      done = d;
      const now = performance.now();
      if (now - last >= PLAIN_INTERVAL_MS) {
        last = now;
        line();
      }
    },
    stop: line,
  };
}
