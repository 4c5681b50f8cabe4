export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}
export interface Engine {
  canonicalize(G: unknown, batch: unknown, options?: unknown): Promise<any>;
}
