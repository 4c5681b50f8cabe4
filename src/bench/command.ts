/**
 * `minframe bench`: the benchmark suite (src/bench/suite.ts) in Node, its tables
 * on stdout and progress on stderr; `--json` writes the results, `--compare`
 * prints two result files' ratios row by row.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as api from '../index.js';
import * as testing from '../testing/index.js';
import { runSuite, type Machine, type Results } from './suite.js';
import { machineLine, resultTables } from './tables.js';

export { machineLine, resultTables };
import { compareResults, comparisonTable } from './compare.js';
import { asResults } from './schema.js';

export const BENCH_USAGE = `usage: minframe bench [--quick] [--json out.json] [--filter TERM]... [--trials N]
       minframe bench --compare a.json b.json

  Runs the benchmark suite (every group family at n = 16, 128, 1024 on the
  calling thread and on 1 and 2 worker threads, canonical labeling, and the
  reference implementation's O(6) comparison of MFA, FA, SFA and iFA over four
  backbones) and prints its tables.

  --quick          small batches, 3 timed runs and 1 trial (a first look, tests)
  --json FILE      also write the results (bench/SCHEMA.md) to FILE
  --filter TERM    only cases whose key ("canonicalize SO(3) mfa n=128 generic -
                   threads=2") contains TERM (case-insensitive) or matches /TERM/;
                   several --filter must all match
  --trials N       trials of the O(6) comparison (default 100; 1 with --quick)
  --compare A B    print B's time ÷ A's for every row the two files share`;

interface BenchArgs {
  quick: boolean;
  json?: string;
  filter: string[];
  trials?: number;
  compare?: [string, string];
}

/** The parsed arguments, or an error message. */
export function parseBenchArgs(argv: string[]): BenchArgs | string {
  const args: BenchArgs = { quick: false, filter: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--quick') args.quick = true;
    else if ((flag === '--json' || flag === '--filter') && value !== undefined) {
      if (flag === '--json') args.json = value;
      else args.filter.push(value);
      i++;
    } else if (flag === '--trials' && Number.isSafeInteger(Number(value)) && Number(value) >= 1) {
      args.trials = Number(value);
      i++;
    } else if (flag === '--compare' && value !== undefined && argv[i + 2] !== undefined) {
      args.compare = [value, argv[i + 2]];
      i += 2;
    } else {
      return `unknown or incomplete option '${flag}'`;
    }
  }
  return args;
}

/** This process's machine, as the results record it. */
export async function nodeMachine(): Promise<Machine> {
  const k = await api.ready();
  return {
    cores: availableParallelism(),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    cpu: cpus()[0]?.model,
    simd: k.simd,
    // Node's workers always share memory (the browser's condition for it)
    crossOriginIsolated: true,
    loadAverage: loadavg(),
  };
}

/** Run the suite in this process with these options and return its results. */
export async function benchNode(options: { quick: boolean; trials?: number; filter: string[]; progress?: boolean }): Promise<Results> {
  const date = new Date().toISOString();
  const machine = await nodeMachine();
  let last = '';
  const rows = await runSuite({
    api, testing, now: () => performance.now(), quick: options.quick, trials: options.trials, filter: options.filter,
    collect: (globalThis as { gc?: () => void }).gc,
    onProgress: options.progress === false ? undefined : ({ done, total, label }) => {
      const line = `bench: ${done}/${total} ${label}`;
      if (line !== last) process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${line}${process.stderr.isTTY ? '' : '\n'}`);
      last = line;
    },
  });
  if (process.stderr.isTTY && options.progress !== false) process.stderr.write('\n');
  // the load during the run, not only before it
  machine.loadAverage = loadavg();
  return { runtime: 'node', machine, date, options: { quick: options.quick, trials: options.trials ?? (options.quick ? 1 : 100), filter: options.filter }, rows };
}

function readResults(file: string): Results {
  return asResults(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** Write results as JSON (creating the folder). */
export function writeResults(file: string, results: Results): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
}

/**
 * `minframe bench ARGS`: 0 on success, 1 for a file that cannot be read or does
 * not follow the schema, 2 for bad arguments.
 */
export async function runBenchCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const args = parseBenchArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`minframe bench: ${args}\n\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (args.compare) {
    try {
      const [a, b] = args.compare.map(readResults);
      process.stdout.write(`a: ${args.compare[0]}: ${machineLine(a)}\nb: ${args.compare[1]}: ${machineLine(b)}\n\n${comparisonTable(compareResults(a, b), ['a', 'b'])}\n`);
      return 0;
    } catch (e) {
      process.stderr.write(`minframe bench: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const results = await benchNode({ quick: args.quick, trials: args.trials, filter: args.filter });
  process.stdout.write(`Measured by minframe bench: ${machineLine(results)}.\n\n${resultTables(results)}\n`);
  if (args.json) {
    writeResults(args.json, results);
    process.stderr.write(`bench: wrote ${args.json}\n`);
  }
  return 0;
}
