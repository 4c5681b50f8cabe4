// `npm run bench`: every benchmark, each section's ratios measured side by side in one
// run. Prints markdown tables and keeps every section's latest result, with when and
// under what machine load it was taken, in bench/results/latest.json (the suite of
// `minframe bench`, src/bench/suite.ts, also goes to bench/results/node.json).
//
//   npm run bench                          every section
//   npm run bench -- --only averaging,models   these sections; the others keep their last result
//   npm run bench -- --readme              also rewrite the table block in README.md from
//                                          every section's latest result
//   npm run bench -- --trials N            trials of the suite's O(6) comparison (default 100)
//   npm run bench -- --print [--readme]    measure nothing: the tables from latest.json
//
// A 2-core machine shared with other work cannot measure everything at once without
// the load showing in the figures; --only re-measures the sections that need a quiet
// run, and each section's heading says when it was measured and the load average.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchOrthogonal, orthogonalTable } from './orthogonal.mjs';
import { benchGroups, groupsTable } from './groups.mjs';
import { benchThreads, threadsTable } from './threads.mjs';
import { benchPermutation, permutationTable } from './permutation.mjs';
import { benchCanon, benchCanonLarge, benchPerCall, canonTable, canonLargeTable, perCallTable } from './canon.mjs';
import { benchAveraging, averagingTable } from './averaging.mjs';
import { benchSingle, singleTable } from './single.mjs';
import { benchModels, modelsTable } from './models.mjs';
import { benchAbort, abortTable } from './abort.mjs';
import { benchOnnx, onnxTable } from './onnx.mjs';
import { benchMemory, memoryTable } from './memory.mjs';
import { benchNode, resultTables, writeResults } from '../dist/node/bench.js';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const trials = arg('--trials') === undefined ? undefined : Number(arg('--trials'));

/** Every section: its key for --only, its heading, how to run it and how to print it. */
const SECTIONS = [
  { key: 'orthogonal', title: 'Orthogonal and Euclidean groups (one thread; µs per set: median (min–max))', run: benchOrthogonal, table: orthogonalTable },
  { key: 'groups', title: 'Lorentz, unitary and linear groups (one thread; µs per set: median (min–max))', run: benchGroups, table: groupsTable },
  {
    key: 'canon',
    title: 'Canonical labeling against nauty labelg (one thread; µs per graph: median (min–max), nauty start-up subtracted)',
    run: benchCanon,
    table: canonTable,
    // the peer is a Debian package; without it the other sections still stand
    skip: (e) => /needs nauty/.test(e.message),
  },
  {
    key: 'canon-percall',
    title: 'Canonical labeling, one call against the kernel, by array type (one thread; CPU µs per graph: median (min–max), median ratio to the kernel alone)',
    run: benchPerCall,
    table: perCallTable,
  },
  {
    key: 'canon-large',
    title: 'Canonical labeling of large symmetric graphs and molecules against nauty labelg (one thread; ms per graph after warm-up calls, the second call of the process beside it; nauty start-up subtracted; |Aut| and orbits checked by dreadnaut)',
    run: () => benchCanonLarge(),
    table: canonLargeTable,
    skip: (e) => /needs nauty/.test(e.message),
  },
  { key: 'permutation', title: 'S(n) x O(3) point sets, and RDKit conformers of molecules under S(n) x E(3) (one thread; µs per set: median (min–max))', run: benchPermutation, table: permutationTable },
  { key: 'threads', title: 'Worker threads', run: benchThreads, table: threadsTable },
  { key: 'averaging', title: 'Averaging with a free model against the frames alone (one thread; µs per set: median (min–max))', run: benchAveraging, table: averagingTable },
  { key: 'single', title: 'One call per input, as an app embedding minframe makes them (one thread; µs per call or per set: median (min–max), and its ratio to the same sets\' frames in one batch)', run: benchSingle, table: singleTable },
  { key: 'models', title: 'Models on the workers', run: benchModels, table: modelsTable },
  { key: 'abort', title: 'Abort of a model that never settles (ms: median (min–max))', run: benchAbort, table: abortTable },
  { key: 'onnx', title: 'ONNX models on the workers, onnxruntime-node and onnxruntime-web (µs per set: median (min–max))', run: benchOnnx, table: onnxTable },
  { key: 'memory', title: 'Peak memory', run: benchMemory, table: memoryTable },
  {
    key: 'suite',
    title: 'The benchmark suite (`minframe bench`; the same rows run in browsers: `npm run bench:browser`)',
    async run() {
      const suite = await benchNode({ quick: false, trials, filter: [] });
      writeResults(new URL('./results/node.json', import.meta.url).pathname, suite);
      return suite;
    },
    table: (suite) => resultTables(suite).replace(/^#### /gm, '##### '),
  },
];

const only = process.argv.includes('--print') ? [] : arg('--only')?.split(',');
const unknown = only?.filter((k) => !SECTIONS.some((s) => s.key === k)) ?? [];
if (unknown.length > 0) throw new Error(`bench: no section ${unknown.join(', ')}; sections are ${SECTIONS.map((s) => s.key).join(', ')}`);

const file = new URL('./results/latest.json', import.meta.url);
const saved = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const latest = { machine: { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length }, sections: saved.sections ?? {} };

for (const s of SECTIONS) {
  if (only && !only.includes(s.key)) continue;
  console.error(`bench: ${s.key}…`);
  const load = loadavg()[0];
  try {
    const result = await s.run();
    latest.sections[s.key] = { date: new Date().toISOString(), load: [load, loadavg()[0]], result };
  } catch (e) {
    if (!s.skip?.(e)) throw e;
    console.error(`bench: ${e.message}; the ${s.key} section is left out`);
  }
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(file, `${JSON.stringify(latest, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
// every table is printed from the file, so a section measured now and one kept from
// an earlier run go through the same code
const { sections } = JSON.parse(readFileSync(file, 'utf8'));

/** A section's heading with when it was measured and the machine's load average (1 min) before and after. */
function heading(s, m) {
  const [before, after] = m.load;
  return `#### ${s.title}\n\nMeasured ${m.date.slice(0, 16).replace('T', ' ')} UTC, load average ${before.toFixed(1)} before and ${after.toFixed(1)} after.`;
}

const shown = SECTIONS.filter((s) => sections[s.key] && (!only || only.includes(s.key) || process.argv.includes('--readme') || process.argv.includes('--print')));
const text = shown.map((s) => `${heading(s, sections[s.key])}\n\n${s.table(sections[s.key].result)}`).join('\n\n');
const header = `On ${latest.machine.cores} cores (${latest.machine.cpu}), Node ${latest.machine.node}, by \`npm run bench\`.`;
console.log(`${header}\n\n${text}`);

if (process.argv.includes('--readme')) {
  const readme = new URL('../README.md', import.meta.url);
  const src = readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const i = src.indexOf(start);
  const j = src.indexOf(end);
  if (i < 0 || j < i) throw new Error('README.md has no bench markers');
  writeFileSync(readme, `${src.slice(0, i + start.length)}\n${header}\n\n${text}\n${src.slice(j)}`);
  console.error('bench: README.md updated');
}
