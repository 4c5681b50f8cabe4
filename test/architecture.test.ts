/**
 * The shape of the one pipeline, read from esbuild's module graph of src/ (its
 * metafile: runtime imports only, type imports are erased): no import cycles;
 * canonicalize stays off the engine; the engine reaches the kinds only through
 * the registry (src/kinds/index.ts) and the contract (src/kinds/kind.ts), so it
 * knows no kind by name; the kinds import nothing Node- or DOM-specific, as the
 * workers of both platforms import them.
 */
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

/** src/ file → the files and packages it imports (packages as written, e.g. 'node:os'). */
type Graph = Map<string, { files: string[]; external: string[] }>;

let graph: Graph;
beforeAll(async () => {
  const r = await build({
    // the Node bundle's entries, and the browser worker and pool (which the Node bundle swaps out)
    entryPoints: ['src/index.ts', 'src/engine/worker.node.ts', 'src/engine/worker.browser.ts', 'src/engine/pool.browser.ts'],
    bundle: true, write: false, metafile: true, platform: 'node', packages: 'external', outdir: 'unused', format: 'esm', logLevel: 'silent',
  });
  graph = new Map();
  for (const [file, input] of Object.entries(r.metafile.inputs)) {
    graph.set(file, { files: input.imports.filter((i) => !i.external).map((i) => i.path), external: input.imports.filter((i) => i.external).map((i) => i.path) });
  }
});

/** Files reachable from `from` (itself excluded), not walking through `stop`. */
function reachable(from: string, stop: (file: string) => boolean = () => false): Set<string> {
  const seen = new Set<string>();
  const todo = [...graph.get(from)!.files];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (!stop(f)) todo.push(...(graph.get(f)?.files ?? []));
  }
  return seen;
}

/** An import cycle among the graph's files, as its path, or null. */
function findCycle(): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string): string[] | null => {
    if (state.get(f) === 'done') return null;
    if (state.get(f) === 'open') return [...path.slice(path.indexOf(f)), f];
    state.set(f, 'open');
    path.push(f);
    for (const g of graph.get(f)?.files ?? []) {
      const c = visit(g);
      if (c) return c;
    }
    path.pop();
    state.set(f, 'done');
    return null;
  };
  for (const f of graph.keys()) {
    const c = visit(f);
    if (c) return c;
  }
  return null;
}

const isKind = (f: string) => f.startsWith('src/kinds/');
const isEngine = (f: string) => f.startsWith('src/engine/');
/** The two modules the browser bundle swaps for its own versions (scripts/bundle.mjs): the Node-specific ones. */
const NODE_MODULES = ['src/wasm/bytes.ts', 'src/engine/pool.node.ts'];

describe('architecture of src/', () => {
  it('the graph holds every kind, the engine and the entry points', () => {
    for (const f of ['src/kinds/index.ts', 'src/kinds/kind.ts', 'src/kinds/points.ts', 'src/kinds/permutation.ts', 'src/kinds/graph.ts', 'src/kinds/averaging.ts', 'src/engine/index.ts', 'src/canonicalize.ts', 'src/average.ts']) {
      expect(graph.has(f), f).toBe(true);
    }
    expect([...graph.keys()].every((f) => f.startsWith('src/')), 'only src/ files').toBe(true);
  });

  it('no import cycles', () => {
    expect(findCycle()).toBeNull();
  });

  it('src/canonicalize.ts does not import the engine, directly or not', () => {
    expect([...reachable('src/canonicalize.ts')].filter(isEngine)).toEqual([]);
  });

  it('the engine imports no kind but the registry and the contract', () => {
    const engineFiles = [...graph.keys()].filter(isEngine);
    expect(engineFiles.length).toBeGreaterThanOrEqual(6);
    for (const f of engineFiles) {
      expect(graph.get(f)!.files.filter((g) => isKind(g) && g !== 'src/kinds/index.ts' && g !== 'src/kinds/kind.ts'), f).toEqual([]);
    }
  });

  it('the kinds import nothing Node- or DOM-specific (the swapped modules aside) and use no platform globals', () => {
    const kinds = [...graph.keys()].filter(isKind);
    for (const f of kinds) {
      expect(graph.get(f)!.external, f).toEqual([]);
      // transitively too, not walking into what the browser bundle swaps
      const deps = [...reachable(f, (g) => NODE_MODULES.includes(g))].filter((g) => !NODE_MODULES.includes(g));
      expect(deps.flatMap((g) => graph.get(g)!.external), `${f} through ${deps.join(', ')}`).toEqual([]);
      expect(deps.filter(isEngine), f).toEqual([]);
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code.match(/\b(process|Buffer|require|window|document|navigator|location|self|importScripts|setImmediate|__dirname|__filename)\b/g), f).toBeNull();
    }
  });
});
