/**
 * Models for `minframe average`: an ES module whose default export is a model, or
 * an .onnx file through the library's onnxModel adapter.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileError } from '../errors.js';
import { onnxModel, type BatchModel, type Model } from '../index.js';

export interface LoadedModel {
  /** What equivariant() / invariant() take as the model. */
  model: Model | BatchModel;
  /** The model takes stacked batches ({ data, dim, offsets, count }). */
  batchModel: boolean;
  /** The model runs on this thread (ONNX); a module's runs on the engine's workers. */
  local: boolean;
  release(): Promise<void>;
}

/** Load `file`: `.onnx` through onnxModel (`names` picks its input and output), anything else as an ES module. */
export async function loadModel(file: string, names: { input?: string; output?: string }): Promise<LoadedModel> {
  if (/\.onnx$/i.test(file)) {
    const m = await onnxModel(file, names);
    return { model: m, batchModel: true, local: true, release: () => m.release() };
  }
  let mod: { default?: unknown; batchModel?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(file)).href)) as typeof mod;
  } catch (e) {
    throw fileError(file, `cannot load the model module: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (typeof mod.default !== 'function') throw fileError(file, 'a model module must `export default` the model function');
  // checked here for a clear error; the wrappers load it again in each worker, by its URL
  return { model: pathToFileURL(resolve(file)) as unknown as Model, batchModel: mod.batchModel === true, local: false, release: async () => {} };
}
