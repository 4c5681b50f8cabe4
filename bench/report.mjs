// `npm run bench:report`: writes bench/REPORT.md and its SVG charts (bench/report/)
// from bench/results/node.json and browser.json. bench/report.ts is bundled on the
// fly with esbuild (packages stay external), as canon.mjs does with its sources.
import { fileURLToPath } from 'node:url';
import { loadTs } from './lib.mjs';

const { writeReport } = await loadTs(fileURLToPath(new URL('./report.ts', import.meta.url)), 'report.mjs');
await writeReport(new URL('./', import.meta.url));
console.error('bench: wrote bench/REPORT.md and bench/report/*.svg');
