/** Types of symmetric.mjs: graphs as flat edge lists with optional colours. */
export interface SymmetricGraph {
  n: number;
  edges: Int32Array;
  colors?: Int32Array;
  edgeColors?: Int32Array;
}
export function empty(n: number): SymmetricGraph;
export function complete(n: number): SymmetricGraph;
export function copies(g: SymmetricGraph, m: number): SymmetricGraph;
export function path(n: number): SymmetricGraph;
export function cycle(n: number): SymmetricGraph;
export function binaryTree(depth: number): SymmetricGraph;
export function caterpillar(spine: number, legs: number, len?: number): SymmetricGraph;
export function spider(arms: number, len: number): SymmetricGraph;
export function grid(a: number, b: number, wrap?: boolean): SymmetricGraph;
export function hypercube(d: number): SymmetricGraph;
export function paley(q: number): SymmetricGraph;
export function latinSquare(k: number): SymmetricGraph;
export function seeded(seed: number): () => number;
export function randomRegular(n: number, d: number, seed: number | (() => number)): SymmetricGraph;
export function cfi(base: SymmetricGraph, twisted?: boolean): SymmetricGraph;
export function alkane(c: number): SymmetricGraph;
export function toCSR(g: SymmetricGraph): { rowPtr: Int32Array; col: Int32Array; edgeColors: Int32Array };
export function relabelGraph(g: SymmetricGraph, p: ArrayLike<number>): SymmetricGraph;
