// `npm run bench`: every benchmark in one run, as ratios measured side by side.
// Writes bench/results/latest.json and, for the suite of `minframe bench`
// (src/bench/suite.ts), bench/results/node.json; prints markdown tables; with
// --readme it also replaces the table block in README.md. `-- --trials N` sets the
// trials of the suite's O(6) comparison (default 100).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchOrthogonal, orthogonalTable } from './orthogonal.mjs';
import { benchGroups, groupsTable } from './groups.mjs';
import { benchThreads, threadsTable } from './threads.mjs';
import { benchPermutation, permutationTable } from './permutation.mjs';
import { benchCanon, canonTable } from './canon.mjs';
import { benchAveraging, averagingTable } from './averaging.mjs';
import { benchModels, modelsTable } from './models.mjs';
import { benchOnnx, onnxTable } from './onnx.mjs';
import { benchMemory, memoryTable } from './memory.mjs';
import { benchNode, resultTables, writeResults } from '../dist/node/bench.js';

const sections = [];
const results = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length };

console.error('bench: orthogonal groups…');
results.orthogonal = await benchOrthogonal();
sections.push(['Orthogonal and Euclidean groups (one thread; µs per set: median (min–max))', orthogonalTable(results.orthogonal)]);

console.error('bench: Lorentz, unitary and linear groups…');
results.groups = await benchGroups();
sections.push(['Lorentz, unitary and linear groups (one thread; µs per set: median (min–max))', groupsTable(results.groups)]);

console.error('bench: canonical labeling against nauty labelg…');
try {
  results.canon = await benchCanon();
  sections.push(['Canonical labeling against nauty labelg (one thread; µs per graph: median (min–max), nauty start-up subtracted)', canonTable(results.canon)]);
} catch (e) {
  // the peer is a Debian package; without it the other sections still stand
  if (!/needs nauty/.test(e.message)) throw e;
  console.error(`bench: ${e.message}; the labeling section is left out`);
}

console.error('bench: S(n) x O(3)…');
results.permutation = await benchPermutation();
sections.push(['S(n) x O(3) point sets (one thread; µs per set: median (min–max))', permutationTable(results.permutation)]);

console.error('bench: worker threads…');
results.threads = await benchThreads();
sections.push(['Worker threads', threadsTable(results.threads)]);

console.error('bench: averaging against canonicalizeBatch…');
results.averaging = await benchAveraging();
sections.push(['Averaging with a free model against the frames alone (one thread; µs per set: median (min–max))', averagingTable(results.averaging)]);

console.error('bench: module models on the workers…');
results.models = await benchModels();
sections.push(['Models on the workers', modelsTable(results.models)]);

console.error('bench: ONNX models, onnxruntime-node and onnxruntime-web…');
results.onnx = await benchOnnx();
sections.push(['ONNX models on the workers (µs per set: median (min–max))', onnxTable(results.onnx)]);

console.error('bench: peak memory of a large engine call…');
results.memory = benchMemory();
sections.push(['Peak memory', memoryTable(results.memory)]);

console.error('bench: the suite (every family, labeling, the O(6) comparison)…');
const trialsAt = process.argv.indexOf('--trials');
const suite = await benchNode({ quick: false, trials: trialsAt > 0 ? Number(process.argv[trialsAt + 1]) : undefined, filter: [] });
writeResults(new URL('./results/node.json', import.meta.url).pathname, suite);
sections.push(['The benchmark suite (`minframe bench`; the same rows run in browsers: `npm run bench:browser`)', resultTables(suite).replace(/^#### /gm, '##### ')]);

const text = sections.map(([title, t]) => `#### ${title}\n\n${t}`).join('\n\n');
const header = `Measured ${results.date.slice(0, 10)} on ${results.cores} cores (${results.cpu}), Node ${results.node}, by \`npm run bench\`.`;
console.log(`${header}\n\n${text}`);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2));

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
