#!/usr/bin/env node
/**
 * The `minframe` command: the bunny demo job, and the dataset commands
 * (canonicalize, average, concat). Exit status: 0 done, 1 bad input (a file, its
 * contents, the model) or a failed run, 2 a usage error; 130 / 143 after SIGINT /
 * SIGTERM, which remove every temporary output first.
 */
import { optionRangeError } from '../errors.js';
import { discardPendingSync } from '../io/index.js';
import { averageCommand, AVERAGE_USAGE } from './average.js';
import { bunnyCommand, BUNNY_USAGE } from './demo.js';
import { canonicalizeCommand, CANONICALIZE_USAGE } from './canonicalize.js';
import { concatCommand, CONCAT_USAGE } from './concat.js';

const first = (usage: string) => usage.slice(0, usage.indexOf('\n') < 0 ? undefined : usage.indexOf('\n')).replace(/^usage: /, '');

const USAGE = `usage: ${first(BUNNY_USAGE)}
       ${first(CANONICALIZE_USAGE)}
       ${first(AVERAGE_USAGE)}
       ${first(CONCAT_USAGE)}

  bunny          the demo job: SE(3) frames of random rigid copies of the Stanford bunny
  canonicalize   canonical forms (and frames) of every input of a dataset
  average        a model averaged over the frames of a dataset (equivariant or invariant)
  concat         join the outputs of shards
  bench          the benchmark suite: [--json out.json] [--quick] [--filter ...] [--compare a.json b.json]

'minframe COMMAND --help' describes a command. Exit status: 0 done (inputs that
failed included: they are reported, and NaN in the outputs), 1 bad input (a file,
its contents, the model), 2 a usage error.`;

const COMMANDS: Record<string, (argv: readonly string[], env: Record<string, string | undefined>) => () => Promise<void>> = {
  bunny: bunnyCommand,
  canonicalize: canonicalizeCommand,
  average: averageCommand,
  concat: concatCommand,
};

const message = (e: unknown) => {
  const text = e instanceof Error ? e.message : String(e);
  return text.startsWith('minframe: ') ? text : `minframe: ${text}`;
};

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  // the suite is its own bundle (dist/node/bench.js), loaded only for this command
  if (argv[0] === 'bench') return (await import('../bench/command.js')).runBenchCommand(argv.slice(1));
  const command = COMMANDS[argv[0]];
  let run: () => Promise<void>;
  try {
    if (!command) throw optionRangeError(`unknown command '${argv[0]}'\n\n${USAGE}`);
    run = command(argv.slice(1), process.env);
  } catch (e) {
    console.error(message(e));
    return 2;
  }
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      discardPendingSync();
      process.exit(code);
    });
  }
  try {
    await run();
    return 0;
  } catch (e) {
    console.error(message(e));
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
