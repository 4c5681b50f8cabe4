/**
 * Every error minframe raises is built here, so messages follow one form:
 * "input 17: GL(3) needs 3 independent rows, found rank 2" — the input index,
 * then the rule. Bad arguments are TypeError (wrong kind) or RangeError (right
 * kind, value out of bounds), raised in TypeScript before any WASM call.
 */

/** Where in a batch an error belongs, so callers can act per input. */
export interface InputErrorInfo {
  readonly input: number;
}

/** The input holds the wrong kind of value (not a typed array, wrong field); `.input` is its index. */
export class InputTypeError extends TypeError implements InputErrorInfo {
  override readonly name = 'TypeError';
  constructor(readonly input: number, rule: string) {
    super(`input ${input}: ${rule}`);
  }
}

/** The input has the right kind but breaks a rule (length, finiteness, rank); `.input` is its index. */
export class InputRangeError extends RangeError implements InputErrorInfo {
  override readonly name = 'RangeError';
  constructor(readonly input: number, rule: string) {
    super(`input ${input}: ${rule}`);
  }
}

/** A bad option or argument of the wrong kind, belonging to no single input. */
export class OptionTypeError extends TypeError {
  override readonly name = 'TypeError';
  constructor(rule: string) {
    super(`minframe: ${rule}`);
  }
}

/** A bad option or argument of the right kind but out of bounds, belonging to no single input. */
export class OptionRangeError extends RangeError {
  override readonly name = 'RangeError';
  constructor(rule: string) {
    super(`minframe: ${rule}`);
  }
}

/** The user's model threw, rejected or returned the wrong thing for input `.input`; `.cause` is what it threw. */
export class ModelError extends Error implements InputErrorInfo {
  override readonly name = 'ModelError';
  constructor(readonly input: number, cause: unknown) {
    super(`input ${input}: the model failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A worker died or failed while computing inputs [first, last]; the pool has replaced it. */
export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
  constructor(readonly first: number, readonly last: number, cause: unknown) {
    super(`minframe: the worker computing inputs ${first}..${last} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * A call stopped by its AbortSignal. `name` is 'AbortError', as for the platform's
 * own aborted calls; `.cause` is the signal's reason.
 */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  constructor(reason?: unknown) {
    const why = reason === undefined ? '' : `: ${reason instanceof Error ? reason.message : String(reason)}`;
    super(`minframe: the call was aborted${why}`, { cause: reason });
  }
}

/** A call on an engine after close(), or one that close() cut short. */
export class EngineClosedError extends Error {
  override readonly name = 'EngineClosedError';
  constructor() {
    super('minframe: the engine is closed; create a new one with createEngine()');
  }
}

/** A worker pool that cannot run a task: a worker that cannot start or died (the cause of a WorkerFailedError). */
export class PoolError extends Error {
  override readonly name = 'PoolError';
  constructor(what: string) {
    super(`minframe: ${what}`);
  }
}

/** A broken invariant inside minframe: a bug, never a bad input. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
  constructor(what: string) {
    super(`minframe: internal error: ${what}`);
  }
}

/** A batch needs more WASM memory than the runtime grants (4 GiB at most). */
export class MemoryLimitError extends RangeError {
  override readonly name = 'RangeError';
  constructor(readonly mebibytes: number) {
    super(`minframe: the batch needs ${mebibytes} MiB of WASM memory, more than this runtime grants (at most 4096 MiB); split it into smaller batches`);
  }
}

/** A WASM kernel trapped or aborted (a bug, or memory corrupted by one): `.kernel` names it. */
export class KernelError extends Error {
  override readonly name = 'KernelError';
  constructor(readonly kernel: string, what: string, cause?: unknown) {
    super(`minframe: WASM kernel ${kernel} ${what}`, { cause });
  }
}

/** The synchronous API was called in a browser before `await ready()` loaded the kernels. */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
  constructor() {
    super('minframe: the WASM kernels are not loaded yet; await ready() before the synchronous API in browsers');
  }
}

/** The input holds the wrong kind of value. */
export function inputTypeError(input: number, rule: string): InputTypeError {
  return new InputTypeError(input, rule);
}

/** The input has the right kind but breaks a rule. */
export function inputRangeError(input: number, rule: string): InputRangeError {
  return new InputRangeError(input, rule);
}

/**
 * An input error as plain data, for results that cross to another thread: the kind
 * and the rule, without the input index (the receiver knows the input's place in
 * the whole batch, which the sender may not). 'model' is a ModelError, whose rule is
 * what the model threw.
 */
export interface InputFailure {
  failed: 'type' | 'range' | 'model';
  rule: string;
}

/** The failure of an input error; anything else (a bug, a trap) is re-thrown. */
export function toFailure(e: unknown): InputFailure {
  if (e instanceof ModelError) return { failed: 'model', rule: e.cause instanceof Error ? e.cause.message : String(e.cause) };
  if (!(e instanceof TypeError || e instanceof RangeError) || typeof (e as Partial<InputErrorInfo>).input !== 'number') throw e;
  return { failed: e instanceof TypeError ? 'type' : 'range', rule: e.message.replace(/^input \d+: /, '') };
}

/** The error of a failure, for input `input` of the batch. */
export function fromFailure(input: number, f: InputFailure): InputTypeError | InputRangeError | ModelError {
  if (f.failed === 'model') return new ModelError(input, new Error(f.rule));
  return f.failed === 'type' ? inputTypeError(input, f.rule) : inputRangeError(input, f.rule);
}

/** A bad option or argument that belongs to no single input. */
export function optionError(rule: string): OptionTypeError {
  return new OptionTypeError(rule);
}

export function optionRangeError(rule: string): OptionRangeError {
  return new OptionRangeError(rule);
}

/** The user's model threw (or rejected) on input i. */
export function modelError(input: number, cause: unknown): ModelError {
  return cause instanceof ModelError && cause.input === input ? cause : new ModelError(input, cause);
}

/**
 * A call stopped by its AbortSignal: an AbortError whose cause is the signal's
 * reason. A call that close() cut short rejects with the EngineClosedError itself.
 */
export function abortError(reason?: unknown): AbortError | EngineClosedError {
  return reason instanceof AbortError || reason instanceof EngineClosedError ? reason : new AbortError(reason);
}

/**
 * A batch call in `errors: 'throw'` mode that met bad inputs throws the first
 * input's own TypeError/RangeError, carrying every input error and the complete
 * result of the valid inputs, so nothing computed is lost.
 */
export function withBatchResult<E extends Error>(first: E, errors: ReadonlyArray<Error>, result: unknown): E {
  return Object.assign(first, { errors, result });
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (Array.isArray(value)) return 'Array';
  return typeof value;
}

/** A call on an engine after close() (or cut short by it). */
export function engineClosedError(): EngineClosedError {
  return new EngineClosedError();
}

/** A broken invariant inside minframe (a bug, never a bad input). */
export function internalError(what: string): InternalError {
  return new InternalError(what);
}

/** A worker pool that cannot run a task (the cause of a WorkerFailedError). */
export function poolError(what: string): PoolError {
  return new PoolError(what);
}

/**
 * A file that cannot be read or written as the array it should hold (src/io/): not
 * found, truncated, a bad .npy header or zip directory, an unsupported dtype, a
 * shape that does not fit. `.file` names it as the user wrote it (`data.npz:positions`
 * for an archive member); the message is one line: "minframe: <file>: <problem>".
 */
export class FileFormatError extends Error {
  override readonly name = 'FileFormatError';
  constructor(readonly file: string, problem: string) {
    super(`minframe: ${file}: ${problem.replace(/\s*\n\s*/g, ' ')}`);
  }
}

/** A file that cannot be read or written as the array it should hold. */
export function fileError(file: string, problem: string): FileFormatError {
  return new FileFormatError(file, problem);
}
