// `node bench/cli.mjs ARGS` runs `minframe bench ARGS` from the build (npm run build),
// until the CLI's dispatcher sends `minframe bench` to the same runBenchCommand.
import { runBenchCommand } from '../dist/node/bench.js';

process.exitCode = await runBenchCommand(process.argv.slice(2));
