/**
 * Models for `minframe average`: an ES module whose default export is a model, or
 * an .onnx file through the library's onnxModel adapter. Either runs on the engine's
 * workers, each loading it once by its URL; here it is only checked, so that a bad
 * model fails before any output is written.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileError } from '../errors.js';
import { onnxModel, type OnnxRuntimeName } from '../index.js';

/** The ONNX input, output and runtime to use (default: the first input and output, the default runtime). */
export interface OnnxChoice {
  input?: string;
  output?: string;
  runtime?: OnnxRuntimeName;
}

/**
 * The URL the wrappers load `file` by, once checked: `.onnx` loaded once through
 * onnxModel, its `choice` in the URL's fragment (src/models/onnx.ts onnxModelAt);
 * anything else imported as an ES module with a function as its default export.
 */
export async function modelUrl(file: string, choice: OnnxChoice): Promise<URL> {
  const url = pathToFileURL(resolve(file));
  if (/\.onnx$/i.test(file)) {
    await (await onnxModel(file, choice)).release();
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(choice)) if (value !== undefined) params.set(key, value);
    url.hash = params.toString();
    return url;
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(url.href)) as typeof mod;
  } catch (e) {
    throw fileError(file, `cannot load the model module: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (typeof mod.default !== 'function') throw fileError(file, 'a model module must `export default` the model function');
  return url;
}
